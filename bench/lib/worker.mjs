// One load-generator process, forked by load.mjs. It owns whole rooms (every member of a room lives
// in the same worker), so message accounting — sent, delivered, duplicated, lost — is exact and
// local. It talks to the parent over the IPC channel: the parent sends {cmd}, the worker answers
// {evt}. All times are epoch milliseconds from performance.timeOrigin + performance.now().
import { readFileSync } from "node:fs";
import { io } from "socket.io-client";
import WebSocket from "ws"; // engine.io-client's own dependency: the stalled members speak Engine.IO raw
import { Histogram } from "./hist.mjs";

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let W; // worker id
let O; // options from the parent
let stats = newStats();
const allSockets = new Set();

function newStats() {
  return {
    sent: 0, delivered: 0, expected: 0, duplicated: 0, misrouted: 0, foreign: 0,
    errors: 0, errorCodes: {}, ackFailures: 0, acked: 0, notConnected: 0,
    connectFailures: 0, failures: { rest: 0, connect: 0, join: 0 }, failureSamples: [],
    disconnects: 0, joined: 0, lagMaxMs: 0, lagSumMs: 0, lagN: 0,
    lat: new Histogram(), ack: new Histogram(), join: new Histogram(),
    latWin: new Histogram(), // since the last windowed progress (soak samples)
    stormJoins: 0, stormFailures: 0,
  };
}

/** Chat counters start again (search steps); connection counters are kept. */
function resetChat() {
  const keep = stats;
  stats = newStats();
  for (const k of ["joined", "connectFailures", "failures", "failureSamples", "join"]) stats[k] = keep[k];
  epoch++;
  resetSeq = seq; // deliveries of earlier messages are ignored from now on
  table.clear();
}

function countError(code) {
  stats.errors++;
  stats.errorCodes[code] = (stats.errorCodes[code] ?? 0) + 1;
}

function failure(kind, err) {
  stats.connectFailures++;
  stats.failures[kind]++;
  const cause = err?.cause ? ` (${err.cause.code ?? err.cause.message ?? err.cause})` : "";
  if (stats.failureSamples.length < 5) stats.failureSamples.push(`${kind}: ${String(err?.message ?? err).slice(0, 200)}${cause}`);
}

async function api(method, path, body) {
  const ctrl = AbortSignal.timeout(O.timeoutMs);
  const res = await fetch(O.url + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: ctrl,
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not json */ }
  return { status: res.status, json, text };
}

async function createRoom() {
  // bounded retry: a transient failure while creating hundreds of rooms should not sink a run
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await api("POST", "/api/rooms", {});
      if (res.status === 201) return res.json.data.token;
      throw new Error(`POST /api/rooms -> ${res.status} ${res.text.slice(0, 200)}`);
    } catch (e) {
      if (attempt >= 3) throw e;
      await sleep(200 * attempt);
    }
  }
}

/** Runs fn over items with at most `limit` in flight. */
async function pool(items, limit, fn) {
  let next = 0;
  const runners = [];
  for (let i = 0; i < Math.min(limit, items.length); i++) {
    runners.push((async () => {
      while (next < items.length) {
        const item = items[next++];
        await fn(item);
      }
    })());
  }
  await Promise.all(runners);
}

/** POST /api/rooms/:token/join; resolves to the session token. */
async function restJoin(roomToken, nickname) {
  const res = await api("POST", `/api/rooms/${roomToken}/join`, { nickname });
  if (res.status !== 201) throw new Error(`join ${res.status} ${res.text.slice(0, 200)}`);
  return res.json.data.sessionToken;
}

/**
 * REST join + socket connect + join_room -> room_joined. Resolves to the socket or null (the
 * failure is counted). `setup(socket)` runs before join_room so no event is missed.
 */
async function joinClient(roomToken, nickname, setup = () => {}) {
  let sessionToken;
  try {
    sessionToken = await restJoin(roomToken, nickname);
  } catch (e) {
    failure("rest", e);
    return null;
  }
  // Like browsers, the websocket offers permessage-deflate unless O.deflate is false (--no-deflate).
  // Long-polling opens a new TCP connection per request (engine.io-client's default in node), on
  // purpose: netty-socketio closes every polling connection after its response although it answers
  // "Connection: keep-alive", so a keep-alive agent races that close and its requests fail.
  const socket = io(O.url, {
    transports: [O.transport], forceNew: true, reconnection: false, timeout: O.timeoutMs,
    ...(O.deflate === false ? { perMessageDeflate: false } : {}),
  });
  allSockets.add(socket);
  try {
    await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error("connect timeout")), O.timeoutMs);
      socket.once("connect", () => { clearTimeout(timer); ok(); });
      socket.once("connect_error", (e) => { clearTimeout(timer); fail(e); });
    });
  } catch (e) {
    failure("connect", e);
    socket.close();
    allSockets.delete(socket);
    return null;
  }
  setup(socket);
  try {
    await new Promise((ok, fail) => {
      const timer = setTimeout(() => { cleanup(); fail(new Error("room_joined timeout")); }, O.timeoutMs);
      const onJoined = () => { cleanup(); ok(); };
      const onError = (e) => { cleanup(); fail(new Error(`join_room error ${e?.code} ${e?.message}`)); };
      const onDisc = (r) => { cleanup(); fail(new Error(`disconnected during join: ${r}`)); };
      function cleanup() {
        clearTimeout(timer);
        socket.off("room_joined", onJoined);
        socket.off("error", onError);
        socket.off("disconnect", onDisc);
      }
      socket.on("room_joined", onJoined);
      socket.on("error", onError);
      socket.on("disconnect", onDisc);
      socket.emit("join_room", { roomToken, sessionToken });
    });
  } catch (e) {
    failure("join", e);
    socket.close();
    allSockets.delete(socket);
    return null;
  }
  // from now on: errors and disconnects are counted, not fatal
  socket.on("error", (e) => countError(e?.code ?? "UNKNOWN"));
  socket.on("disconnect", (reason) => {
    if (reason !== "io client disconnect") stats.disconnects++;
  });
  stats.joined++;
  return socket;
}

// ---------------------------------------------------------------------------------------------
// chat mode

const rooms = []; // {global, token, members: [socket], senders: [socket]}
const table = new Map(); // seq -> {room, measured, recv: Uint8Array}
let seq = 0;
let resetSeq = 0; // messages up to this seq belong to an earlier search step
let epoch = 0; // bumped by resetChat: acks of an earlier step are not counted
let pad = "";
let sendingDone = null;

function onMessage(room, memberIdx, m) {
  const c = m?.content;
  if (typeof c !== "string" || !c.startsWith("b:")) return;
  const t = now();
  const p1 = c.indexOf(":", 2);
  const p2 = c.indexOf(":", p1 + 1);
  const p3 = c.indexOf(":", p2 + 1);
  const wid = Number(c.slice(2, p1));
  if (wid !== W) { stats.foreign++; return; }
  const id = Number(c.slice(p1 + 1, p2));
  if (id <= resetSeq) return;
  const entry = table.get(id);
  if (!entry) { stats.foreign++; return; }
  if (entry.room !== room) { stats.misrouted++; return; }
  if (!entry.measured) return;
  if (entry.recv[memberIdx]++ > 0) { stats.duplicated++; return; }
  stats.delivered++;
  const sentAt = Number(c.slice(p2 + 1, p3));
  stats.lat.recordMs(t - sentAt);
  stats.latWin.recordMs(t - sentAt);
}

async function setupChat(roomIds, stalledN = 0) {
  const created = await Promise.all(roomIds.map(async (g) => ({ global: g, token: await createRoom(), members: [], senders: [] })));
  rooms.push(...created);
  const jobs = [];
  for (const room of rooms) for (let i = 0; i < O.members; i++) jobs.push({ room, i });
  await pool(jobs, O.concurrency, async ({ room, i }) => {
    const memberIdx = i;
    const socket = await joinClient(room.token, `b${W}r${room.global}m${i}`, (s) => {
      s.on("new_message", (m) => onMessage(room, memberIdx, m));
    });
    if (!socket) return;
    room.members[i] = socket;
    if (i < O.senders) room.senders.push(socket);
  });
  for (const room of rooms) room.size = room.members.filter(Boolean).length;
  // after room.size: the stalled members are not expected to receive anything
  if (stalledN > 0) await joinStalledMembers(rooms.find((r) => r.global === 0), stalledN);
}

function send(room, socket, due, measured) {
  if (!socket.connected) { countError("NOT_CONNECTED"); stats.notConnected++; return; }
  const id = ++seq;
  const t = now();
  const head = `b:${W}:${id}:${t.toFixed(3)}:`;
  const content = head.length >= O.size ? head : head + pad.slice(0, O.size - head.length);
  if (measured) {
    table.set(id, { room, measured: true, recv: new Uint8Array(room.members.length) });
    stats.sent++;
    stats.expected += room.size;
    const lag = t - due;
    stats.lagSumMs += lag; stats.lagN++;
    if (lag > stats.lagMaxMs) stats.lagMaxMs = lag;
  } else {
    table.set(id, { room, measured: false });
  }
  const payload = { type: "TEXT", content };
  if (!O.ack) { socket.emit("send_message", payload); return; }
  const ep = epoch;
  socket.timeout(O.ackTimeoutMs).emit("send_message", payload, (err, res) => {
    if (ep !== epoch) return;
    if (err) { if (measured) stats.ackFailures++; countError("ACK_TIMEOUT"); return; }
    if (!res || res.ok !== true) {
      if (measured) stats.ackFailures++;
      countError(`ACK_${res?.error?.code ?? "BAD"}`);
      return;
    }
    if (measured) { stats.acked++; stats.ack.recordMs(now() - t); }
  });
}

function startChat({ t0, warmupEnd, endAt, rate, reset }) {
  if (reset) resetChat();
  pad = "x".repeat(Math.max(0, O.size));
  const interval = 1000 / (rate ?? O.rate);
  const senders = [];
  for (const room of rooms) {
    for (const socket of room.senders) {
      senders.push({ room, socket, due: t0 + Math.random() * interval });
    }
  }
  let cpu0 = null;
  sendingDone = new Promise((done) => {
    if (senders.length === 0) {
      setTimeout(done, Math.max(0, endAt - now()));
      return;
    }
    const tick = () => {
      const t = now();
      if (cpu0 === null && t >= warmupEnd) cpu0 = process.cpuUsage();
      let earliest = Infinity;
      for (const s of senders) {
        // bounded catch-up: at most 1000 sends per sender per tick
        for (let k = 0; k < 1000 && s.due <= t && s.due < endAt; k++) {
          send(s.room, s.socket, s.due, s.due >= warmupEnd);
          s.due += interval;
        }
        if (s.due < earliest) earliest = s.due;
      }
      if (earliest >= endAt) {
        const c = process.cpuUsage(cpu0 ?? undefined);
        stats.cpuPct = Math.round(((c.user + c.system) / 1000 / Math.max(1, endAt - Math.max(warmupEnd, t0))) * 1000) / 10;
        setTimeout(done, Math.max(0, endAt - now()));
        return;
      }
      setTimeout(tick, Math.max(0, Math.min(earliest - now(), 50)));
    };
    setTimeout(tick, Math.max(0, t0 - now()));
  });
  // sendingDone resolves at endAt: what has been closed by then was closed in the measured window
  sendingDone.then(() => { countStalledClosed(); process.send({ evt: "sent" }); });
}

// ---------------------------------------------------------------------------------------------
// stalled members (--stalled): they join like the others, then never read again. A raw websocket,
// because socket.io-client cannot stop reading; nothing they (do not) receive is counted.

const stalled = []; // {ws, key: "serverPort>clientPort", visible, closed, terminated}
let stalledJoined = 0;
let stalledClosed = 0; // as of the end of the last measured window
const TCP_ESTABLISHED = "01";

/** Resolves on the first text frame starting with prefix; rejects on close or timeout. */
function expectFrame(ws, prefix) {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => done(new Error(`no ${prefix} frame in ${O.timeoutMs} ms`)), O.timeoutMs);
    const onMessage = (data, isBinary) => { if (!isBinary && data.toString().startsWith(prefix)) done(null); };
    const onClose = (code) => done(new Error(`closed (${code}${ws.lastError ? `, ${ws.lastError.message}` : ""}) waiting for ${prefix}`));
    function done(err) {
      clearTimeout(timer);
      ws.off("message", onMessage);
      ws.off("close", onClose);
      if (err) fail(err); else ok();
    }
    ws.on("message", onMessage);
    ws.on("close", onClose);
  });
}

/** REST join, Engine.IO open, Socket.IO connect, join_room -> room_joined; then stop reading. */
async function joinStalled(room, nickname) {
  const sessionToken = await restJoin(room.token, nickname);
  const ws = new WebSocket(`${O.url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, {
    perMessageDeflate: O.deflate !== false, handshakeTimeout: O.timeoutMs,
  });
  // a connection the server drops may be reset: that shows as the close, not a crash
  ws.on("error", (e) => { ws.lastError = e; });
  const member = { ws, key: null, visible: false, closed: false };
  stalled.push(member); // terminated at the end even if the join fails half-way
  try {
    await expectFrame(ws, "0{");
    const connected = expectFrame(ws, "40{");
    ws.send("40");
    await connected;
    const joined = expectFrame(ws, '42["room_joined"');
    ws.send(`42${JSON.stringify(["join_room", { roomToken: room.token, sessionToken }])}`);
    await joined;
  } catch (e) {
    ws.terminate();
    throw e;
  }
  // Stop reading for good: frames pile up in the socket, the kernel's buffers, then the server's.
  // Pings are not answered either; a client that stops reading stops everything.
  ws._socket.pause();
  member.key = `${ws._socket.remotePort}>${ws._socket.localPort}`;
  ws.on("close", () => { if (!member.terminated) member.closed = true; });
}

async function joinStalledMembers(room, n) {
  if (!room) throw new Error("--stalled: this worker does not own room 0");
  const items = Array.from({ length: n }, (_, i) => i);
  await pool(items, O.concurrency, async (i) => {
    try {
      await joinStalled(room, `b${W}r${room.global}stalled${i}`);
      stalledJoined++;
    } catch (e) {
      process.stdout.write(`[worker ${W}] stalled member ${i} did not join: ${String(e?.message ?? e).slice(0, 200)}\n`);
    }
  });
  // The server's end of each connection, as the kernel sees it: only visible when the server runs
  // on this machine (loopback), and only then used to tell that the server closed a connection.
  const states = tcpStates();
  for (const m of stalled) m.visible = m.key !== null && states?.get(m.key) === TCP_ESTABLISHED;
}

/** State (hex, as the kernel writes it) of every TCP socket, keyed "localPort>remotePort"; null if unreadable. */
function tcpStates() {
  const states = new Map();
  let read = false;
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text;
    try { text = readFileSync(file, "utf8"); read = true; } catch { continue; }
    for (const line of text.split("\n").slice(1)) {
      // "  sl  local_address rem_address   st ...", addresses as HEXADDR:HEXPORT
      const [, local, remote, st] = line.trim().split(/\s+/);
      if (!st) continue;
      states.set(`${parseInt(local.split(":").pop(), 16)}>${parseInt(remote.split(":").pop(), 16)}`, st);
    }
  }
  return read ? states : null;
}

/**
 * How many stalled members the server has closed. Their `close` event alone misses most: a socket
 * that does not read never sees the server's FIN (it waits behind the unread data, in a zero
 * window) nor a reset. So on loopback the server's end of the connection counts too: once it left
 * ESTABLISHED (FIN_WAIT1 with its FIN stuck, or gone), the server closed it.
 */
function countStalledClosed() {
  const states = stalled.some((m) => m.visible && !m.closed) ? tcpStates() : null;
  for (const m of stalled) {
    if (!m.closed && m.visible && states && states.get(m.key) !== TCP_ESTABLISHED) m.closed = true;
  }
  stalledClosed = stalled.filter((m) => m.closed).length;
}

// ---------------------------------------------------------------------------------------------
// idle and joinstorm

const idleRooms = []; // {global, token}
const stormRooms = [];

async function createRooms(ids, into) {
  await pool(ids, O.concurrency, async (g) => { into.push({ global: g, token: await createRoom() }); });
}

async function connectIdle() {
  const jobs = [];
  for (const room of idleRooms) for (let i = 0; i < O.members; i++) jobs.push({ room, i });
  const t0 = now();
  await pool(jobs, O.concurrency, async ({ room, i }) => {
    const t = now();
    const s = await joinClient(room.token, `i${W}r${room.global}m${i}`);
    if (s) stats.join.recordMs(now() - t);
  });
  return now() - t0;
}

async function storm({ warmupEnd, endAt }) {
  let n = 0;
  const cpu0 = { at: null, usage: null };
  const loops = [];
  for (let c = 0; c < O.stormConcurrency && stormRooms.length > 0; c++) {
    loops.push((async () => {
      while (now() < endAt) {
        const k = n++;
        const room = stormRooms[k % stormRooms.length];
        const t = now();
        if (cpu0.at === null && t >= warmupEnd) { cpu0.at = t; cpu0.usage = process.cpuUsage(); }
        const s = await joinClient(room.token, `s${W}n${k}`);
        const done = now();
        // Leave again, so the number of connected clients stays at the background K and the storm
        // rooms do not grow (every join tells all members: a growing room makes joins O(members)).
        if (s) { s.disconnect(); allSockets.delete(s); }
        const inWindow = t >= warmupEnd && done <= endAt;
        if (!inWindow) continue;
        if (s) { stats.stormJoins++; stats.join.recordMs(done - t); } else stats.stormFailures++;
      }
    })());
  }
  await Promise.all(loops);
  if (cpu0.usage) {
    const c = process.cpuUsage(cpu0.usage);
    stats.cpuPct = Math.round(((c.user + c.system) / 1000 / Math.max(1, now() - cpu0.at)) * 1000) / 10;
  }
}

// ---------------------------------------------------------------------------------------------
// server warm-up: join, send one message with an ack, leave; nothing of it is counted

async function prewarm({ joins, rooms: ids }) {
  const warm = [];
  await createRooms(ids, warm);
  const saved = stats;
  stats = newStats();
  try {
    const items = Array.from({ length: joins }, (_, i) => i);
    await pool(items, O.concurrency, async (i) => {
      const s = await joinClient(warm[i % warm.length].token, `w${W}n${i}`);
      if (!s) return;
      await new Promise((ok) => s.timeout(O.ackTimeoutMs).emit("send_message", { type: "TEXT", content: "warm-up" }, () => ok()));
      s.disconnect();
      allSockets.delete(s);
    });
    return { joined: stats.joined, failures: stats.connectFailures };
  } finally {
    stats = saved;
  }
}

// ---------------------------------------------------------------------------------------------

function report() {
  const connected = [...allSockets].filter((s) => s.connected).length;
  const mem = process.memoryUsage();
  return {
    ...stats,
    lat: stats.lat.toJSON(), ack: stats.ack.toJSON(), join: stats.join.toJSON(), latWin: undefined,
    connected, rssMB: Math.round(mem.rss / 1048576), stalledJoined, stalledClosed,
  };
}

async function closeAll() {
  for (const s of allSockets) s.disconnect();
  allSockets.clear();
  for (const m of stalled) { m.terminated = true; m.ws.terminate(); }
  stalled.length = 0;
  await sleep(200);
}

process.on("message", async (msg) => {
  try {
    switch (msg.cmd) {
      case "init":
        W = msg.workerId;
        O = msg.opts;
        process.send({ evt: "init" });
        break;
      case "setup-chat":
        await setupChat(msg.rooms, msg.stalled);
        process.send({ evt: "ready", joined: stats.joined, connectFailures: stats.connectFailures, stalledJoined });
        break;
      case "start-chat":
        startChat(msg);
        break;
      case "progress": {
        // {window: true}: also the latency histogram since the previous windowed progress
        let win;
        if (msg.window) { win = stats.latWin.toJSON(); stats.latWin = new Histogram(); }
        process.send({ evt: "progress", sent: stats.sent, delivered: stats.delivered, expected: stats.expected,
          acked: stats.acked, ackFailures: stats.ackFailures, errors: stats.errors, joined: stats.joined,
          connectFailures: stats.connectFailures, stormJoins: stats.stormJoins, disconnects: stats.disconnects,
          duplicated: stats.duplicated, connected: [...allSockets].filter((s) => s.connected).length, latWin: win });
        break;
      }
      case "prewarm":
        process.send({ evt: "prewarmed", ...(await prewarm(msg)) });
        break;
      case "setup-rooms":
        await createRooms(msg.idleRooms ?? [], idleRooms);
        await createRooms(msg.stormRooms ?? [], stormRooms);
        process.send({ evt: "rooms" });
        break;
      case "connect-idle": {
        const ms = await connectIdle();
        process.send({ evt: "connected", ms, joined: stats.joined, connectFailures: stats.connectFailures });
        break;
      }
      case "storm":
        // joins of the background phase are not storm joins
        stats.join = new Histogram();
        await storm(msg);
        process.send({ evt: "stormed" });
        break;
      case "report":
        process.send({ evt: "report", stats: report() });
        break;
      case "close":
        await closeAll();
        process.send({ evt: "closed" });
        setTimeout(() => process.exit(0), 50);
        break;
      default:
        throw new Error("unknown command " + msg.cmd);
    }
  } catch (e) {
    process.send({ evt: "fatal", error: String(e?.stack ?? e) });
  }
});

process.on("disconnect", () => process.exit(0)); // the parent is gone
