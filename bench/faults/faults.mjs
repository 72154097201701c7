// Fault-injection driver for GhostRooms (issue 5). Started by run.sh, which owns the private
// PostgreSQL cluster, the jar copy and the work directory, and cleans them up. This file drives
// real socket.io-client sockets against the real server, breaks things on purpose (PostgreSQL
// stopped, server SIGKILLed / SIGTERMed, upload storage unreachable or full) and checks that
// nothing acknowledged or shown is lost, that errors are the contract's codes, and that the
// server recovers. Prints a human summary and one JSON line per case, writes RESULTS.md, and
// exits 1 if any check fails.
//
// Environment (set by run.sh): FAULTS_WORK (work dir), FAULTS_JAR, PG_BIN, PG_DATA, PG_PORT,
// PG_LOG, FAULTS_RESULTS (RESULTS.md path), FAULTS_CASES (optional, e.g. "outage-fast,kill9").
import { io } from "socket.io-client";
import { spawn, execFileSync } from "node:child_process";
import {
  createWriteStream, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync, existsSync,
} from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { BENCH_SERVER_ENV, freePort } from "../lib/proc.mjs";

const WORK = must("FAULTS_WORK");
const JAR = must("FAULTS_JAR");
const PG_BIN = must("PG_BIN");
const PG_DATA = must("PG_DATA");
const PG_PORT = Number(must("PG_PORT"));
const PG_LOG = must("PG_LOG");
const RESULTS = must("FAULTS_RESULTS");
const LOG_DIR = join(WORK, "logs");
mkdirSync(LOG_DIR, { recursive: true });

/** Load shape: 4 rooms x 5 members x 10 msg/s = 200 msg/s offered, 1000 deliveries/s. */
const ROOMS = 4;
const MEMBERS = 5;
const RATE_PER_MEMBER = 10;
/** Longer than the pool's 3 s connection timeout plus a full writer batch: a missing ack is a finding. */
const ACK_TIMEOUT_MS = 15_000;
const OUTAGE_MS = 10_000;
const RUN = randomBytes(3).toString("hex"); // unique content per run, so DB checks never see old rows

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
function must(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`faults.mjs: ${name} is not set (start bench/faults/run.sh, not this file)`);
    process.exit(2);
  }
  return v;
}
function quantile(values, q) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
function log(...a) {
  console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...a);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL control: the cluster belongs to the OS user postgres (initdb refuses root).

function pgCtl(args) {
  const t0 = now();
  execFileSync("runuser", ["-u", "postgres", "--", join(PG_BIN, "pg_ctl"), "-D", PG_DATA, ...args],
    { stdio: ["ignore", "ignore", "pipe"], timeout: 60_000 });
  return now() - t0;
}
const pgStop = (mode) => pgCtl(["-m", mode, "-w", "-t", "30", "stop"]);
const pgStart = () => pgCtl(["-l", PG_LOG, "-w", "-t", "60", "start"]);
function psql(db, sql) {
  return execFileSync(join(PG_BIN, "psql"), ["-h", "127.0.0.1", "-p", String(PG_PORT), "-U", "postgres", "-d", db,
    "-v", "ON_ERROR_STOP=1", "-Atqc", sql], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
}
function createDatabase(name) {
  psql("postgres", `DROP DATABASE IF EXISTS ${name}`);
  psql("postgres", `CREATE DATABASE ${name}`);
  return `jdbc:postgresql://127.0.0.1:${PG_PORT}/${name}?user=postgres`;
}
/** Every stored message content of this run's case tag. */
function storedContents(db, tag) {
  const out = psql(db, `SELECT content FROM messages WHERE content LIKE '${tag}-%'`);
  return new Set(out.split("\n").filter(Boolean));
}

// ---------------------------------------------------------------------------------------------
// The server: the jar copy, on a given port, its log appended to LOG_DIR/<name>.log.

const servers = new Set();
process.on("exit", () => {
  for (const s of servers) try { process.kill(s.pid, "SIGKILL"); } catch { /* gone */ }
});

async function startServer({ name, port, env = {} }) {
  port ??= await freePort();
  const dir = join(WORK, `srv-${name}`);
  const javaTmp = join(dir, "tmp");
  mkdirSync(javaTmp, { recursive: true });
  const logFile = join(LOG_DIR, `${name}.log`);
  const logStream = createWriteStream(logFile, { flags: "a" });
  const fullEnv = {
    ...process.env, ...BENCH_SERVER_ENV, PORT: String(port), UPLOAD_DIR: join(dir, "uploads"), ...env,
  };
  if (!env.DATABASE_URL) delete fullEnv.DATABASE_URL;
  // cwd is a private dir: the server reads a .env from its working dir.
  const child = spawn("java", ["-Xmx256m", `-Djava.io.tmpdir=${javaTmp}`, "-jar", JAR],
    { env: fullEnv, cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  servers.add(child);
  let head = "";
  const exited = new Promise((ok) => child.once("exit", (code, signal) => {
    servers.delete(child);
    ok({ code, signal, at: now() });
  }));
  for (const s of [child.stdout, child.stderr]) {
    s.on("data", (c) => {
      logStream.write(c);
      if (head.length < 50_000) head += c.toString();
    });
  }
  const t0 = now();
  while (!head.includes("GhostRooms listening on")) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server ${name} exited at startup (log ${logFile})`);
    if (now() - t0 > 60_000) throw new Error(`server ${name} did not start in 60 s (log ${logFile})`);
    await sleep(50);
  }
  return {
    name, port, pid: child.pid, child, logFile, javaTmp, uploadDir: fullEnv.UPLOAD_DIR,
    url: `http://127.0.0.1:${port}`, startMs: now() - t0, exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(t);
      }
      await new Promise((r) => logStream.end(r));
    },
    async closeLog() {
      await exited;
      await new Promise((r) => logStream.end(r));
    },
  };
}

async function http(url, { method = "GET", body, json, timeoutMs = 10_000 } = {}) {
  const t0 = now();
  try {
    const res = await fetch(url, {
      method,
      headers: json !== undefined ? { "content-type": "application/json" } : {},
      body: json !== undefined ? JSON.stringify(json) : body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed = null;
    try { parsed = JSON.parse(text); } catch { /* not json */ }
    return { status: res.status, text, json: parsed, ms: now() - t0 };
  } catch (e) {
    return { status: null, error: e.cause?.code ?? e.name ?? String(e), ms: now() - t0 };
  }
}

// ---------------------------------------------------------------------------------------------
// Load: rooms of members that all send TEXT messages with acks and record what they receive.

class Member {
  constructor(load, room, index, session, nickname) {
    Object.assign(this, { load, room, index, session, nickname });
    this.joined = false;
    this.disconnects = 0;
    this.received = new Set();
    this.seq = 0;
    this.rejoins = 0;
  }

  connect() {
    const L = this.load;
    // forceNew: one connection per member (the default multiplexes sockets of one URL).
    // Member 0 of each room long-polls, the others use websocket: both transports under fault.
    this.socket = io(L.url, {
      forceNew: true, transports: this.index === 0 ? ["polling"] : ["websocket"],
      reconnection: L.reconnection, reconnectionDelay: 200, reconnectionDelayMax: 1000, timeout: 5000,
    });
    const s = this.socket;
    // Engine.IO level: which of our messages reached the transport at all (to tell a transport
    // loss from a Socket.IO decoding one when a delivery is missing).
    this.engineSeen = new Set();
    this.polls = { started: 0, completed: 0, lastStartAt: 0, lastCompleteAt: 0 };
    s.io.on("open", () => {
      // A long-polling member that stops receiving: is a GET left unanswered (server side) or not?
      const t = s.io.engine.transport;
      if (t?.name === "polling") {
        t.on("poll", () => { this.polls.started++; this.polls.lastStartAt = now(); });
        t.on("pollComplete", () => { this.polls.completed++; this.polls.lastCompleteAt = now(); });
      }
      s.io.engine.on("packet", (p) => {
        if (p.type !== "message" || typeof p.data !== "string") return;
        const m = p.data.match(new RegExp(`"(${L.tag}-[^"]+)"`));
        if (m) this.engineSeen.add(m[1]);
      });
    });
    s.on("connect", () => this.join());
    s.on("room_joined", () => {
      this.joined = true;
      L.stats.joins++;
      L.lastJoinAt = now();
    });
    s.on("disconnect", (reason) => {
      this.disconnects++;
      this.joined = false;
      L.stats.disconnects++;
      L.stats.disconnectReasons[reason] = (L.stats.disconnectReasons[reason] ?? 0) + 1;
    });
    s.on("connect_error", () => { L.stats.connectErrors++; });
    s.on("new_message", (m) => {
      const c = m?.content;
      if (typeof c !== "string" || !c.startsWith(L.tag + "-")) return;
      if (this.received.has(c)) L.stats.duplicates++;
      this.received.add(c);
      L.broadcast.add(c);
    });
    s.on("error", (e) => {
      const code = e?.code ?? "UNKNOWN";
      L.stats.socketErrors[code] = (L.stats.socketErrors[code] ?? 0) + 1;
      if (this.joined || !s.connected) return;
      // A join refused while the database is down is retried; a session that ended with a
      // disconnect is replaced by a new one (as a real client would re-join by REST).
      if (code === "INVALID_SESSION") {
        this.renew().catch(() => setTimeout(() => this.join(), 1000));
      } else {
        setTimeout(() => this.join(), 1000);
      }
    });
  }

  join() {
    if (this.socket.connected) this.socket.emit("join_room", { roomToken: this.room.token, sessionToken: this.session });
  }

  async renew() {
    this.rejoins++;
    this.load.stats.newSessions++;
    const nick = `${this.nickname.slice(0, 14)}r${this.rejoins}`;
    const r = await http(`${this.load.url}/api/rooms/${this.room.token}/join`, { method: "POST", json: { nickname: nick } });
    if (r.status !== 201) throw new Error(`join ${r.status}`);
    this.session = r.json.data.sessionToken;
    this.load.secrets.add(this.session);
    this.join();
  }

  send() {
    const L = this.load;
    if (!this.joined || !this.socket.connected) {
      L.stats.skippedNotJoined++;
      return;
    }
    const content = `${L.tag}-r${this.room.index}-m${this.index}-${this.seq++}`;
    const rec = { room: this.room.index, member: `r${this.room.index}m${this.index}`, sentAt: now(), outcome: "pending" };
    L.messages.set(content, rec);
    L.stats.sent++;
    this.socket.timeout(ACK_TIMEOUT_MS).emit("send_message", { type: "TEXT", content }, (err, ack) => {
      rec.ackAt = now();
      if (err) {
        rec.outcome = "noack";
      } else if (ack?.ok) {
        rec.outcome = "ok";
      } else {
        rec.outcome = "error";
        rec.code = ack?.error?.code ?? "UNKNOWN";
      }
    });
  }
}

class Load {
  constructor({ url, tag, reconnection = true }) {
    Object.assign(this, { url, tag, reconnection });
    this.rooms = [];
    this.members = [];
    this.messages = new Map();
    this.broadcast = new Set();
    this.secrets = new Set(); // room and session tokens, to grep the server log for
    this.timers = [];
    this.stats = {
      sent: 0, skippedNotJoined: 0, joins: 0, disconnects: 0, disconnectReasons: {}, connectErrors: 0, duplicates: 0,
      newSessions: 0, socketErrors: {},
    };
  }

  async setup() {
    for (let r = 0; r < ROOMS; r++) {
      const res = await http(`${this.url}/api/rooms`, { method: "POST", json: { ttlHours: 1 } });
      if (res.status !== 201) throw new Error(`create room -> ${res.status}`);
      const room = { index: r, token: res.json.data.token };
      this.secrets.add(room.token);
      this.rooms.push(room);
      for (let m = 0; m < MEMBERS; m++) {
        const nickname = `f${r}m${m}`;
        const j = await http(`${this.url}/api/rooms/${room.token}/join`, { method: "POST", json: { nickname } });
        if (j.status !== 201) throw new Error(`join -> ${j.status}`);
        this.secrets.add(j.json.data.sessionToken);
        this.members.push(new Member(this, room, m, j.json.data.sessionToken, nickname));
      }
    }
    this.members.forEach((m) => m.connect());
    await this.waitAllJoined(20_000);
    this.baseline = this.stats.disconnects;
  }

  allJoined() {
    return this.members.every((m) => m.joined && m.socket.connected);
  }

  async waitAllJoined(ms) {
    const t0 = now();
    while (!this.allJoined()) {
      if (now() - t0 > ms) return false;
      await sleep(50);
    }
    return true;
  }

  start() {
    const period = 1000 / RATE_PER_MEMBER;
    this.members.forEach((m, i) => {
      // staggered so the offered load is smooth, not 20 sends every 100 ms at once
      setTimeout(() => this.timers.push(setInterval(() => m.send(), period)), (i * period) / this.members.length);
    });
    this.startedAt = now();
  }

  stopSending() {
    this.timers.forEach(clearInterval);
    this.timers = [];
    this.stoppedAt = now();
  }

  /** Waits for every ack (or its timeout), then a little for the last broadcasts. */
  async settle() {
    const t0 = now();
    while ([...this.messages.values()].some((m) => m.outcome === "pending") && now() - t0 < ACK_TIMEOUT_MS + 2000) {
      await sleep(100);
    }
    await sleep(1000);
  }

  close() {
    this.stopSending();
    this.members.forEach((m) => m.socket?.close());
  }

  /** Accounting against the set of contents found in the database. */
  account(stored) {
    const c = { sent: this.stats.sent, ackOk: 0, ackError: 0, errorCodes: {}, noAck: 0, pending: 0,
      broadcast: this.broadcast.size, inDb: 0, ackedButMissing: 0, broadcastButMissing: 0,
      errorButStored: 0, noAckButStored: 0, storedNotBroadcast: 0, noAckByMember: {} };
    for (const [content, m] of this.messages) {
      const inDb = stored.has(content);
      if (inDb) c.inDb++;
      if (m.outcome === "ok") {
        c.ackOk++;
        if (!inDb) c.ackedButMissing++;
      } else if (m.outcome === "error") {
        c.ackError++;
        c.errorCodes[m.code] = (c.errorCodes[m.code] ?? 0) + 1;
        if (inDb) c.errorButStored++;
      } else if (m.outcome === "noack") {
        c.noAck++;
        c.noAckByMember[m.member] = (c.noAckByMember[m.member] ?? 0) + 1;
        if (inDb) c.noAckButStored++;
      } else {
        c.pending++;
      }
      if (inDb && !this.broadcast.has(content)) c.storedNotBroadcast++;
    }
    for (const content of this.broadcast) if (!stored.has(content)) c.broadcastButMissing++;
    c.dbRowsOfRun = stored.size;
    return c;
  }

  /** Members that never disconnected must have received every ok-acked message of their room. */
  missedDeliveries() {
    let missed = 0;
    let checkedMembers = 0;
    const byMember = {};
    const samples = [];
    let engineSawMissed = 0;
    const window = [Infinity, -Infinity];
    const pollState = {};
    for (const member of this.members) {
      if (member.disconnects > 0) continue;
      checkedMembers++;
      for (const [content, m] of this.messages) {
        if (m.outcome === "ok" && m.room === member.room.index && !member.received.has(content)) {
          missed++;
          const k = `r${member.room.index}m${member.index}`;
          byMember[k] = (byMember[k] ?? 0) + 1;
          if (member.engineSeen.has(content)) engineSawMissed++;
          if (!pollState[k] && member.index === 0) {
            const pl = member.polls;
            pollState[k] = { started: pl.started, completed: pl.completed,
              lastPollAgeMs: Math.round(now() - pl.lastStartAt), lastAnswerAgeMs: Math.round(now() - pl.lastCompleteAt) };
          }
          const t = m.sentAt - (this.startedAt ?? 0);
          window[0] = Math.min(window[0], t);
          window[1] = Math.max(window[1], t);
          if (samples.length < 6) samples.push({ member: k, sentAt: m.sentAt, ackMs: Math.round(m.ackAt - m.sentAt) });
        }
      }
    }
    return { missed, checkedMembers, byMember, samples, engineSawMissed, pollState,
      windowMs: missed ? window.map((x) => Math.round(x)) : null };
  }

  latencies(filter) {
    return [...this.messages.values()].filter((m) => m.ackAt && filter(m)).map((m) => m.ackAt - m.sentAt);
  }
}

// ---------------------------------------------------------------------------------------------
// Server log hygiene: no stack traces, SQL, tokens or message content.

function scanLog(file, { secrets = new Set(), tag = null } = {}) {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const lines = text.split("\n");
  const found = { stackTraceLines: 0, sqlLines: 0, tokenLines: 0, contentLines: 0, nettyLeakReports: 0 };
  const kinds = new Map();
  for (const line of lines) {
    if (/^\s+at [\w$.<>/]+\(.*\)\s*$/.test(line) || /^Caused by: /.test(line) || /^\s+\.\.\. \d+ more/.test(line)) found.stackTraceLines++;
    if (/\b(insert\s+into|select\s+\S.*\s+from\s|update\s+\w+\s+set|delete\s+from)\b/i.test(line)) found.sqlLines++;
    if (/ghost-[a-z0-9]{8}\b/.test(line) || [...secrets].some((s) => line.includes(s))) found.tokenLines++;
    if (tag && line.includes(tag)) found.contentLines++;
    if (line.includes("LEAK: ByteBuf.release() was not called")) found.nettyLeakReports++;
    // WARN/ERROR kinds, with numbers stripped, so the report shows what the server complained about.
    const m = line.match(/^\S+ (WARN|ERROR)\s+\[[^\]]*\] (.*)$/);
    if (m) {
      const kind = `${m[1]} ${m[2].replace(/[0-9a-f]{8,}/gi, "#").replace(/\d+/g, "N")}`.slice(0, 200);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
  }
  const warnings = [...kinds.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, n]) => `${n}x ${k}`);
  return { ...found, warnLines: [...kinds.values()].reduce((a, b) => a + b, 0), warnings };
}
const logClean = (s) => s.stackTraceLines === 0 && s.sqlLines === 0 && s.tokenLines === 0 && s.contentLines === 0;

// ---------------------------------------------------------------------------------------------
// Cases

/** A check; fatal: false marks a finding that is reported (WARN) but does not fail the run. */
function check(checks, name, ok, detail, { fatal = true } = {}) {
  checks.push({ name, ok: !!ok, detail, fatal });
}
/**
 * netty-socketio 2.0.14's PacketDecoder copies each packet of a multi-packet polling POST into a
 * pooled buffer it never releases; Netty's leak detector then logs a report (a stack of frames,
 * no payload). Upstream, not caused by the faults injected here: reported, not failed.
 */
function leakCheck(checks, scan) {
  check(checks, "no Netty ByteBuf leak report (upstream netty-socketio polling decoder)", scan.nettyLeakReports === 0,
    scan.nettyLeakReports, { fatal: false });
}

/**
 * Starts a /health request every 500 ms without waiting for the previous one (during an outage each
 * takes up to the pool's 3 s connection timeout), at most 8 in flight.
 */
function healthPoller(url) {
  const samples = [];
  const inFlight = new Set();
  const timer = setInterval(() => {
    if (inFlight.size >= 8) return;
    const at = now();
    const p = http(`${url}/health`, { timeoutMs: 8000 }).then((r) => {
      samples.push({ at, done: now(), status: r.status, ms: r.ms, body: r.json, error: r.error });
      inFlight.delete(p);
    });
    inFlight.add(p);
  }, 500);
  return {
    samples,
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      samples.sort((a, b) => a.at - b.at);
    },
  };
}

async function caseOutage(mode) {
  const name = `pg-outage-${mode}`;
  const tag = `F${RUN}${mode === "fast" ? "a" : "b"}`;
  const db = `faults_outage_${mode}`;
  const dbUrl = createDatabase(db);
  const server = await startServer({ name, env: { DATABASE_URL: dbUrl } });
  const load = new Load({ url: server.url, tag });
  const checks = [];
  const r = { case: name, stopMode: mode, outageMs: OUTAGE_MS };
  try {
    await load.setup();
    const health = healthPoller(server.url);
    load.start();
    await sleep(5000);
    log(`${name}: stopping PostgreSQL (-m ${mode}) under load`);
    const tStop = now();
    r.pgStopMs = round(pgStop(mode), 0);
    const tStopped = now();
    await sleep(Math.max(0, OUTAGE_MS - (tStopped - tStop)));
    log(`${name}: starting PostgreSQL again`);
    const tStartCmd = now();
    r.pgStartMs = round(pgStart(), 0);
    const tUp = now(); // pg_ctl start -w returns once the server accepts connections
    await sleep(10_000);
    load.stopSending();
    await load.settle();
    await health.stop();
    const healthAfter = await http(`${server.url}/health`);

    // During the outage: sends issued between stop and start.
    const during = [...load.messages.values()].filter((m) => m.sentAt >= tStopped && m.sentAt < tStartCmd);
    const errLat = load.latencies((m) => m.outcome === "error" && m.sentAt >= tStop && m.sentAt < tUp);
    const errLatPolling = load.latencies((m) => m.outcome === "error" && m.sentAt >= tStop && m.sentAt < tUp && m.member.endsWith("m0"));
    const okAfter = [...load.messages.values()].filter((m) => m.outcome === "ok" && m.ackAt >= tUp);
    const firstOkAck = okAfter.length ? Math.min(...okAfter.map((m) => m.ackAt)) : null;
    const okSentAfter = okAfter.filter((m) => m.sentAt >= tUp);
    const firstOkSentAfter = okSentAfter.length ? Math.min(...okSentAfter.map((m) => m.ackAt)) : null;
    const errorsAfterUp = [...load.messages.values()].filter((m) => m.outcome === "error" && m.sentAt >= tUp).length;
    const okLatAfter = load.latencies((m) => m.outcome === "ok" && m.sentAt >= tUp);
    const hDuring = health.samples.filter((s) => s.at >= tStopped + 500 && s.done < tStartCmd);
    const hFirst200 = health.samples.find((s) => s.at >= tUp && s.status === 200);

    const stored = storedContents(db, tag);
    const acc = load.account(stored);
    const deliveries = load.missedDeliveries();
    Object.assign(r, acc, {
      sentDuringOutage: during.length,
      duringOutcomes: countBy(during, (m) => (m.outcome === "error" ? m.code : m.outcome)),
      errorAckMs: { p50: round(quantile(errLat, 0.5), 0), p95: round(quantile(errLat, 0.95), 0), max: round(quantile(errLat, 1), 0) },
      errorAckMsPolling: { p50: round(quantile(errLatPolling, 0.5), 0), p95: round(quantile(errLatPolling, 0.95), 0), max: round(quantile(errLatPolling, 1), 0) },
      recoveryMs: firstOkAck === null ? null : round(firstOkAck - tUp, 0),
      recoveryFirstNewSendMs: firstOkSentAfter === null ? null : round(firstOkSentAfter - tUp, 0),
      errorsAfterPgUp: errorsAfterUp,
      okAckMsAfterRecovery: { p50: round(quantile(okLatAfter, 0.5), 0), p99: round(quantile(okLatAfter, 0.99), 0) },
      healthDuring: {
        samples: hDuring.length, statuses: countBy(hDuring, (s) => String(s.status ?? s.error)),
        bodyStatus: [...new Set(hDuring.map((s) => s.body?.status))].join(","),
        p50Ms: round(quantile(hDuring.map((s) => s.ms), 0.5), 0), maxMs: round(quantile(hDuring.map((s) => s.ms), 1), 0),
        example: hDuring[0] ? { status: hDuring[0].status, body: hDuring[0].body } : null,
      },
      healthBackMs: hFirst200 ? round(hFirst200.done - tUp, 0) : null,
      healthAfter: { status: healthAfter.status, bodyStatus: healthAfter.json?.status },
      socketDisconnects: load.stats.disconnects - load.baseline, disconnectReasons: { ...load.stats.disconnectReasons },
      newSessions: load.stats.newSessions,
      allJoinedAtEnd: load.allJoined(),
      missedDeliveries: deliveries.missed,
      missedByMember: deliveries.byMember,
      missedButSeenByEngine: deliveries.engineSawMissed,
      missedSamples: deliveries.samples.map((x) => ({ ...x, sentAt: undefined, sentSinceStopMs: Math.round(x.sentAt - tStop) })),
      missedPollState: deliveries.pollState,
      duplicates: load.stats.duplicates,
    });
    const errorCodes = Object.keys(acc.errorCodes);
    check(checks, "acked-but-missing = 0", acc.ackedButMissing === 0, acc.ackedButMissing);
    check(checks, "broadcast-but-missing = 0", acc.broadcastButMissing === 0, acc.broadcastButMissing);
    check(checks, "writes during the outage fail with DATABASE_UNAVAILABLE only",
      acc.ackError > 0 && errorCodes.every((c) => c === "DATABASE_UNAVAILABLE"), acc.errorCodes);
    check(checks, "every send answered (no ack timeouts): fails fast, no unbounded queue", acc.noAck === 0 && acc.pending === 0, acc.noAck);
    check(checks, "error acks within 5 s (p95)", (r.errorAckMs.p95 ?? 0) <= 5000, r.errorAckMs);
    check(checks, "/health 503 degraded during the outage",
      hDuring.length > 0 && hDuring.every((s) => s.status === 503 && s.body?.status === "degraded"), r.healthDuring.statuses);
    check(checks, "/health 200 ok after", healthAfter.status === 200 && healthAfter.json?.status === "ok", healthAfter.status);
    // HikariCP retries connecting with a backoff of 10 ms doubling up to 5 s, so after a 10 s outage
    // the pool reconnects up to ~5 s after PostgreSQL is back; the writer's 1 s fail-fast window on top.
    check(checks, "recovery (PG up -> first ok ack) <= 8 s", r.recoveryMs !== null && r.recoveryMs <= 8000, r.recoveryMs);
    check(checks, "sockets stayed connected (or rejoined) and all joined at end", r.allJoinedAtEnd, r.socketDisconnects);
    check(checks, "members that stayed connected got every acked message", deliveries.missed === 0, deliveries.missed);
  } finally {
    load.close();
    await server.stop();
  }
  return finishWithLog(r, checks, { server, load, tag });
}

/** The same load with no fault: the control for every number the fault cases report. */
async function caseBaseline() {
  const name = "baseline";
  const tag = `F${RUN}n`;
  const db = "faults_baseline";
  const server = await startServer({ name, env: { DATABASE_URL: createDatabase(db) } });
  const load = new Load({ url: server.url, tag });
  const checks = [];
  const r = { case: name };
  try {
    await load.setup();
    load.start();
    await sleep(15_000);
    load.stopSending();
    await load.settle();
    const acc = load.account(storedContents(db, tag));
    const deliveries = load.missedDeliveries();
    const okLat = load.latencies((m) => m.outcome === "ok");
    Object.assign(r, acc, {
      okAckMs: { p50: round(quantile(okLat, 0.5), 0), p99: round(quantile(okLat, 0.99), 0), max: round(quantile(okLat, 1), 0) },
      socketDisconnects: load.stats.disconnects - load.baseline, disconnectReasons: { ...load.stats.disconnectReasons },
      missedDeliveries: deliveries.missed,
      missedByMember: deliveries.byMember, missedButSeenByEngine: deliveries.engineSawMissed, duplicates: load.stats.duplicates,
      missedWindowMs: deliveries.windowMs,
      missedPollState: deliveries.pollState,
      noAckWindowMs: (() => {
        const t = [...load.messages.values()].filter((m) => m.outcome === "noack").map((m) => Math.round(m.sentAt - load.startedAt));
        return t.length ? [Math.min(...t), Math.max(...t)] : null;
      })(),
    });
    check(checks, "every send acked ok and stored", acc.ackOk === acc.sent && acc.inDb === acc.sent, `${acc.ackOk}/${acc.inDb}/${acc.sent}`);
    check(checks, "broadcast-but-missing = 0", acc.broadcastButMissing === 0, acc.broadcastButMissing);
    check(checks, "every member got every message of its room", deliveries.missed === 0, deliveries.byMember);
  } finally {
    load.close();
    await server.stop();
  }
  return finishWithLog(r, checks, { server, load, tag });
}

async function caseKill9() {
  const name = "kill9";
  const tag = `F${RUN}k`;
  const db = "faults_kill9";
  const dbUrl = createDatabase(db);
  const port = await freePort();
  let server = await startServer({ name, port, env: { DATABASE_URL: dbUrl } });
  const load = new Load({ url: server.url, tag });
  const checks = [];
  const r = { case: name };
  try {
    await load.setup();
    load.start();
    await sleep(6000);
    log(`${name}: SIGKILL to the server under load`);
    const tKill = now();
    server.child.kill("SIGKILL");
    await server.closeLog();
    r.sentBeforeKill = [...load.messages.values()].filter((m) => m.sentAt < tKill).length;
    await sleep(1000);
    server = await startServer({ name, port, env: { DATABASE_URL: dbUrl } });
    const tRestarted = now();
    r.restartMs = round(server.startMs, 0);
    // Clients reconnect by themselves (socket.io-client backoff) and re-join with their sessions.
    const rejoined = await load.waitAllJoined(20_000);
    r.allRejoinedMs = rejoined ? round(now() - tRestarted, 0) : null;
    await sleep(5000);
    load.stopSending();
    await load.settle();
    const sentAfter = [...load.messages.values()].filter((m) => m.sentAt >= tRestarted);
    r.sentAfterRestart = sentAfter.length;
    r.okAfterRestart = sentAfter.filter((m) => m.outcome === "ok").length;
    const stored = storedContents(db, tag);
    const acc = load.account(stored);
    Object.assign(r, acc, { newSessions: load.stats.newSessions, allJoinedAtEnd: load.allJoined(),
      inFlightAtKill: [...load.messages.values()].filter((m) => m.sentAt < tKill && (m.ackAt === undefined || m.ackAt > tKill)).length });
    // History after the restart comes from the database: a fresh member sees the last messages.
    const hist = await historyCheck(server.url, load.rooms[0].token, stored, load);
    r.historyAfterRestart = hist;
    check(checks, "acked-but-missing = 0", acc.ackedButMissing === 0, acc.ackedButMissing);
    check(checks, "broadcast-but-missing = 0", acc.broadcastButMissing === 0, acc.broadcastButMissing);
    check(checks, "clients reconnected and re-joined after restart", rejoined, r.allRejoinedMs);
    check(checks, "sends succeed after restart", r.okAfterRestart > 0 && r.okAfterRestart === r.sentAfterRestart,
      `${r.okAfterRestart}/${r.sentAfterRestart}`);
    check(checks, "history after restart holds only stored messages", hist.ok, hist);
  } finally {
    load.close();
    await server.stop();
  }
  return finishWithLog(r, checks, { server, load, tag });
}

/** Milliseconds from SIGTERM to the server's "shutting down" log line (its shutdown hook), or null. */
function shutdownHookStart(logFile, tTerm) {
  const line = readFileSync(logFile, "utf8").split("\n").find((l) => l.includes("shutting down"));
  const m = line?.match(/^(\d\d):(\d\d):(\d\d)\.(\d\d\d) /);
  if (!m) return null;
  const d = new Date(tTerm);
  const at = new Date(d.getFullYear(), d.getMonth(), d.getDate(), +m[1], +m[2], +m[3], +m[4]).getTime();
  return Math.round(at - tTerm);
}

/** A new member joins room 0 over REST and reads its history: every message there must be stored. */
async function historyCheck(url, roomToken, stored, load) {
  const j = await http(`${url}/api/rooms/${roomToken}/join`, { method: "POST", json: { nickname: "histcheck" } });
  if (j.status !== 201) return { ok: false, joinStatus: j.status };
  load.secrets.add(j.json.data.sessionToken);
  const res = await fetch(`${url}/api/messages/${roomToken}?limit=100`,
    { headers: { authorization: `Bearer ${j.json.data.sessionToken}` } });
  const body = await res.json();
  const contents = (body.data ?? []).map((m) => m.content).filter((c) => c?.startsWith(load.tag));
  const notStored = contents.filter((c) => !stored.has(c)).length;
  return { ok: res.status === 200 && contents.length > 0 && notStored === 0, status: res.status, messages: contents.length, notStored };
}

async function caseSigterm() {
  const name = "sigterm";
  const tag = `F${RUN}t`;
  const db = "faults_sigterm";
  const dbUrl = createDatabase(db);
  const server = await startServer({ name, env: { DATABASE_URL: dbUrl } });
  // No reconnection: every connection after SIGTERM is a deliberate probe below.
  const load = new Load({ url: server.url, tag, reconnection: false });
  const checks = [];
  const r = { case: name };
  try {
    await load.setup();
    load.start();
    await sleep(5000);
    log(`${name}: SIGTERM to the server under load`);
    const tTerm = now();
    server.child.kill("SIGTERM");
    // Probe new connections (Engine.IO polling handshakes) every 50 ms until the process exits.
    const probes = [];
    let exitedInfo = null;
    server.exited.then((e) => { exitedInfo = e; });
    while (!exitedInfo && now() - tTerm < 15_000) {
      const at = now() - tTerm;
      const p = await http(`${server.url}/socket.io/?EIO=4&transport=polling`, { timeoutMs: 1000 });
      probes.push({ at: round(at, 0), outcome: p.status === 200 && p.text.includes('"sid"') ? "accepted" : String(p.status ?? p.error) });
      await sleep(20);
    }
    const ex = await server.exited;
    load.stopSending();
    await load.settle();
    r.exitCode = ex.code;
    r.exitSignal = ex.signal;
    r.exitMs = round(ex.at - tTerm, 0);
    r.probes = probes.length;
    r.probesAccepted = probes.filter((p) => p.outcome === "accepted").length;
    r.lastAcceptedAtMs = r.probesAccepted ? Math.max(...probes.filter((p) => p.outcome === "accepted").map((p) => p.at)) : null;
    r.probeOutcomes = countBy(probes, (p) => p.outcome);
    // The JVM needs a moment to run its shutdown hook; the server refuses from the hook's first line on.
    r.hookStartMs = shutdownHookStart(server.logFile, tTerm);
    r.acceptedAfterHookStart = probes.filter((p) => p.outcome === "accepted" && r.hookStartMs !== null && p.at > r.hookStartMs).length;
    // A socket opened before SIGTERM that sends after it: refused (error) or stored (ok), never lost.
    const after = [...load.messages.values()].filter((m) => m.sentAt >= tTerm);
    r.sentAfterSigterm = after.length;
    r.afterSigtermOutcomes = countBy(after, (m) => (m.outcome === "error" ? m.code : m.outcome));
    const stored = storedContents(db, tag);
    Object.assign(r, load.account(stored));
    check(checks, "exit code 0", ex.code === 0, `${ex.code}/${ex.signal}`);
    check(checks, "SIGTERM -> exit <= 10 s", r.exitMs <= 10_000, r.exitMs);
    check(checks, "acked-but-missing = 0", r.ackedButMissing === 0, r.ackedButMissing);
    check(checks, "broadcast-but-missing = 0", r.broadcastButMissing === 0, r.broadcastButMissing);
    check(checks, "no new connection accepted once the shutdown hook runs", r.hookStartMs !== null && r.acceptedAfterHookStart === 0,
      { hookStartMs: r.hookStartMs, ...r.probeOutcomes });
  } finally {
    load.close();
    await server.stop();
  }
  return finishWithLog(r, checks, { server, load, tag });
}

// --- uploads ------------------------------------------------------------------------------------

function png(bytes) {
  const b = randomBytes(bytes);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  return b;
}
async function upload(url, bytes, name = "pic.png") {
  const fd = new FormData();
  fd.append("file", new Blob([png(bytes)], { type: "image/png" }), name);
  const t0 = now();
  try {
    const res = await fetch(`${url}/api/files/upload`, { method: "POST", body: fd, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not json */ }
    return { status: res.status, json, text, ms: round(now() - t0, 0) };
  } catch (e) {
    return { status: null, error: e.cause?.code ?? e.name, ms: round(now() - t0, 0) };
  }
}
const mounts = [];
function mountTmpfs(dir, size) {
  mkdirSync(dir, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0777`, "tmpfs", dir]);
  mounts.push(dir);
}
function umountAll() {
  while (mounts.length) {
    const d = mounts.pop();
    try { execFileSync("umount", ["-l", d]); } catch { /* run.sh retries */ }
  }
}
process.on("exit", umountAll);
function fill(dir, leaveBytes) {
  const free = Number(execFileSync("df", ["-B1", "--output=avail", dir], { encoding: "utf8" }).split("\n")[1].trim());
  const filler = Math.max(0, free - leaveBytes);
  writeFileSync(join(dir, "filler.bin"), Buffer.alloc(filler));
  return Number(execFileSync("df", ["-B1", "--output=avail", dir], { encoding: "utf8" }).split("\n")[1].trim());
}
const listDir = (d) => (existsSync(d) ? readdirSync(d) : []);
const safeEnvelope = (res) => res.json?.success === false && typeof res.json?.error?.code === "string"
  && !/\bat [\w$.]+\(|Exception|SQL|\/tmp\/|\/work\//.test(res.text ?? "");

async function keepsServing(url) {
  const h = await http(`${url}/health`);
  const room = await http(`${url}/api/rooms`, { method: "POST", json: {} });
  return { health: h.status, createRoom: room.status, ok: h.status === 200 && room.status === 201 };
}

function javaTempLeftovers(dir) {
  // Netty's multipart parts (FUp_*) and our own gr-upload-*.part files must be gone.
  return listDir(dir).filter((f) => /^(FUp_|gr-upload-|Attr_)/.test(f)).length;
}

async function uploadCase(name, env, { storageDir, expectCode }) {
  const server = await startServer({ name, env });
  const checks = [];
  const r = { case: name };
  try {
    const before = listDir(storageDir);
    const big = await upload(server.url, 600 * 1024);
    const again = await upload(server.url, 600 * 1024);
    await sleep(500);
    const after = listDir(storageDir);
    r.upload = { status: big.status, code: big.json?.error?.code, message: big.json?.error?.message, ms: big.ms };
    r.secondUpload = { status: again.status, code: again.json?.error?.code };
    r.storageFilesBefore = before.length;
    r.storageFilesAfter = after.length;
    r.leftInStorage = after.filter((f) => !before.includes(f));
    r.javaTempLeftovers = javaTempLeftovers(server.javaTmp);
    r.serving = await keepsServing(server.url);
    check(checks, `upload refused with 503 ${expectCode}`, big.status === 503 && big.json?.error?.code === expectCode, r.upload);
    check(checks, "error is a clean envelope (no stack, SQL, path)", safeEnvelope(big), big.text?.slice(0, 160));
    check(checks, "second attempt refused the same way", again.status === 503 && again.json?.error?.code === expectCode, r.secondUpload);
    check(checks, "no partial file left in storage", r.leftInStorage.length === 0, r.leftInStorage);
    check(checks, "no temp file left by the upload", r.javaTempLeftovers === 0, r.javaTempLeftovers);
    check(checks, "server keeps serving (/health 200, create room 201)", r.serving.ok, r.serving);
    return { server, r, checks };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

async function caseUploads() {
  const results = [];
  // (a) FILE_SERVER_URL points at a port nobody listens on.
  {
    const closed = await freePort();
    const { server, r, checks } = await uploadCase("upload-fileserver-unreachable",
      { FILE_SERVER_URL: `http://127.0.0.1:${closed}/` }, { storageDir: null, expectCode: "STORAGE_UNAVAILABLE" });
    await server.stop();
    r.log = scanLog(server.logFile);
    check(checks, "server log: no stack trace, SQL, token or content", logClean(r.log), r.log);
    leakCheck(checks, r.log);
  leakCheck(checks, r.log);
    results.push(finish(r, checks));
  }
  // (b) the local upload dir is a 1 MB tmpfs with ~200 KB free: a 600 KB upload cannot fit.
  {
    const dir = join(WORK, "uploads-full");
    mountTmpfs(dir, "1m");
    const free = fill(dir, 200 * 1024);
    let server;
    try {
      const res = await uploadCase("upload-disk-full", { UPLOAD_DIR: dir }, { storageDir: dir, expectCode: "STORAGE_UNAVAILABLE" });
      server = res.server;
      res.r.freeBytesBefore = free;
      // A file that fits still goes through: a partial file left by the failure would eat the space.
      const small = await upload(server.url, 64 * 1024);
      res.r.smallUpload = { status: small.status };
      let served = null;
      if (small.status === 201) {
        const u = new URL(small.json.attachment.url);
        served = (await http(`${server.url}${u.pathname}`)).status;
      }
      res.r.smallServed = served;
      check(res.checks, "a file that fits is stored and served after the failures", small.status === 201 && served === 200,
        `${small.status}/${served}`);
      await server.stop();
      res.r.log = scanLog(server.logFile);
      check(res.checks, "server log: no stack trace, SQL, token or content", logClean(res.r.log), res.r.log);
      leakCheck(res.checks, res.r.log);
      results.push(finish(res.r, res.checks));
    } finally {
      if (server) await server.stop();
      umountAll();
    }
  }
  // (c) a real HTTP file server (nginx WebDAV) whose disk is full: it answers PUT with an error.
  if (existsSync("/usr/sbin/nginx")) {
    const nginx = await startNginxDav();
    let server;
    try {
      // Data and nginx's body buffer on one full tmpfs, as nginx is normally set up (its temp path on
      // the data's filesystem): with them on two filesystems nginx copies the body across and leaves
      // its own partial "<name>.0000000001" behind when that copy fails.
      mountTmpfs(nginx.root, "1m");
      for (const d of [nginx.data, nginx.body]) mkdirSync(d, { recursive: true, mode: 0o777 });
      fill(nginx.root, 200 * 1024);
      const res = await uploadCase("upload-fileserver-disk-full", { FILE_SERVER_URL: nginx.url },
        { storageDir: nginx.data, expectCode: "STORAGE_UNAVAILABLE" });
      server = res.server;
      res.r.fileServer = "nginx WebDAV, data and body-buffer dirs on a full 1 MB tmpfs";
      res.r.leftInFileServerBodyDir = listDir(nginx.body);
      check(res.checks, "no partial body left in the file server's buffer dir", res.r.leftInFileServerBodyDir.length === 0,
        res.r.leftInFileServerBodyDir);
      await server.stop();
      res.r.log = scanLog(server.logFile);
      check(res.checks, "server log: no stack trace, SQL, token or content", logClean(res.r.log), res.r.log);
      leakCheck(res.checks, res.r.log);
      results.push(finish(res.r, res.checks));
    } finally {
      if (server) await server.stop();
      umountAll();
      await nginx.stop();
    }
  }
  return results;
}

/** nginx with WebDAV PUT/DELETE on a free loopback port (same config as e2e/lib/nginx.mjs). */
async function startNginxDav() {
  const root = join(WORK, "nginx");
  // data and body live under storage/, which the full-disk case mounts a tmpfs on
  const storage = join(root, "storage");
  const data = join(storage, "data");
  const body = join(storage, "body");
  for (const d of [data, body]) mkdirSync(d, { recursive: true, mode: 0o777 });
  const port = await freePort();
  const conf = `user root;\ndaemon off;\nworker_processes 1;\npid ${root}/nginx.pid;\nerror_log ${root}/error.log;\n`
    + `events { worker_connections 64; }\nhttp {\n access_log off;\n client_body_temp_path ${body};\n`
    + ` proxy_temp_path ${body};\n fastcgi_temp_path ${body};\n uwsgi_temp_path ${body};\n scgi_temp_path ${body};\n`
    + ` server {\n  listen 127.0.0.1:${port};\n  root ${data};\n  client_max_body_size 100m;\n`
    + `  location / { dav_methods PUT DELETE; create_full_put_path on; }\n }\n}\n`;
  writeFileSync(join(root, "nginx.conf"), conf);
  const child = spawn("/usr/sbin/nginx", ["-p", root, "-c", join(root, "nginx.conf")], { stdio: "ignore" });
  servers.add(child);
  const deadline = now() + 10_000;
  while (now() < deadline) {
    const up = await new Promise((ok) => {
      const s = connect(port, "127.0.0.1", () => { s.end(); ok(true); });
      s.on("error", () => ok(false));
    });
    if (up) {
      return {
        url: `http://127.0.0.1:${port}/`, data, body, root: storage,
        async stop() {
          if (child.exitCode === null) {
            const exited = new Promise((ok) => child.once("exit", ok));
            child.kill("SIGTERM");
            await exited;
          }
          servers.delete(child);
        },
      };
    }
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error("nginx did not start");
}

// ---------------------------------------------------------------------------------------------

function countBy(items, key) {
  const out = {};
  for (const i of items) {
    const k = key(i);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** The end of every load case: the server's log must hold no stack trace, SQL, token or content. */
function finishWithLog(r, checks, { server, load, tag }) {
  r.log = scanLog(server.logFile, { secrets: load.secrets, tag });
  check(checks, "server log: no stack trace, SQL, token or content", logClean(r.log), r.log);
  leakCheck(checks, r.log);
  return finish(r, checks);
}

function finish(r, checks) {
  r.checks = checks.map((c) => ({ name: c.name, ok: c.ok, ...(c.fatal ? {} : { fatal: false }) }));
  r.failed = checks.filter((c) => !c.ok && c.fatal).map((c) => `${c.name}: ${JSON.stringify(c.detail)}`);
  r.notes = checks.filter((c) => !c.ok && !c.fatal).map((c) => `${c.name}: ${JSON.stringify(c.detail)}`);
  r.pass = r.failed.length === 0;
  for (const c of checks) console.log(`  ${c.ok ? "PASS" : c.fatal ? "FAIL" : "WARN"}  ${c.name}  (${JSON.stringify(c.detail)})`);
  console.log(JSON.stringify(r));
  return r;
}

function machine() {
  const sh = (cmd) => {
    try { return execFileSync("bash", ["-c", cmd], { encoding: "utf8" }).trim(); } catch { return "?"; }
  };
  return {
    nproc: sh("nproc"),
    free: (() => { try { return execFileSync("free", ["-g"], { encoding: "utf8" }).trimEnd(); } catch { return "?"; } })(),
    kernel: sh("uname -srm"),
    java: sh("java -version 2>&1 | head -1"),
    node: process.version,
    postgres: sh(`${join(PG_BIN, "postgres")} --version`),
    nginx: sh("/usr/sbin/nginx -v 2>&1"),
    jar: `${JAR} (${Math.round(statSync(JAR).size / 1024)} KB)`,
  };
}

function summaryLine(r) {
  const s = (k) => (r[k] === undefined ? "" : `${k}=${typeof r[k] === "object" ? JSON.stringify(r[k]) : r[k]}`);
  const keys = {
    "pg-outage-fast": ["sent", "ackOk", "ackError", "errorCodes", "noAck", "broadcast", "inDb", "ackedButMissing",
      "broadcastButMissing", "errorButStored", "sentDuringOutage", "errorAckMs", "recoveryMs", "recoveryFirstNewSendMs",
      "errorsAfterPgUp", "healthDuring", "healthBackMs", "healthAfter", "socketDisconnects", "missedDeliveries"],
    baseline: ["sent", "ackOk", "noAck", "inDb", "broadcast", "okAckMs", "missedDeliveries", "missedByMember", "socketDisconnects"],
    kill9: ["sent", "ackOk", "ackError", "errorCodes", "noAck", "broadcast", "inDb", "ackedButMissing", "broadcastButMissing",
      "noAckButStored", "inFlightAtKill", "restartMs", "allRejoinedMs", "sentAfterRestart", "okAfterRestart", "historyAfterRestart"],
    sigterm: ["exitCode", "exitMs", "sent", "ackOk", "ackError", "errorCodes", "noAck", "broadcast", "inDb", "ackedButMissing",
      "broadcastButMissing", "sentAfterSigterm", "afterSigtermOutcomes", "hookStartMs", "probes", "probeOutcomes", "lastAcceptedAtMs",
      "acceptedAfterHookStart"],
  };
  keys["pg-outage-immediate"] = keys["pg-outage-fast"];
  const list = keys[r.case] ?? ["upload", "secondUpload", "leftInStorage", "leftInFileServerBodyDir", "javaTempLeftovers", "serving", "smallUpload", "smallServed", "fileServer"];
  return list.map(s).filter(Boolean);
}

async function main() {
  const wanted = (process.env.FAULTS_CASES ?? "baseline,outage-fast,outage-immediate,kill9,sigterm,uploads").split(",");
  const m = machine();
  const started = new Date();
  log(`GhostRooms fault tests, run ${RUN}; work dir ${WORK}`);
  const results = [];
  const runCase = async (key, fn) => {
    if (!wanted.includes(key)) return;
    log(`=== ${key}`);
    try {
      const out = await fn();
      results.push(...(Array.isArray(out) ? out : [out]));
    } catch (e) {
      console.log(`  FAIL  ${key} crashed: ${e.message}`);
      const r = { case: key, pass: false, failed: [`crashed: ${e.message}`] };
      console.log(JSON.stringify(r));
      results.push(r);
      // a case that died with PostgreSQL stopped must not take the next cases down with it
      try { pgStart(); } catch { /* already running */ }
    }
  };
  await runCase("baseline", caseBaseline);
  await runCase("outage-fast", () => caseOutage("fast"));
  await runCase("outage-immediate", () => caseOutage("immediate"));
  await runCase("kill9", caseKill9);
  await runCase("sigterm", caseSigterm);
  await runCase("uploads", caseUploads);
  const secs = Math.round((Date.now() - started.getTime()) / 1000);

  console.log("\n==== summary ====");
  for (const r of results) {
    console.log(`${r.pass ? "PASS" : "FAIL"} ${r.case}`);
    for (const l of summaryLine(r)) console.log(`    ${l}`);
    for (const f of r.failed ?? []) console.log(`    FAILED: ${f}`);
    for (const f of r.notes ?? []) console.log(`    WARN: ${f}`);
  }
  const allPass = results.length > 0 && results.every((r) => r.pass);
  console.log(`${allPass ? "ALL PASS" : "SOME CHECKS FAILED"} in ${secs} s (server logs: ${process.env.FAULTS_KEPT_LOGS ?? LOG_DIR})`);

  const md = [
    "# GhostRooms fault tests — results",
    "",
    `Generated by \`bash bench/faults/run.sh\` on ${started.toISOString()} (run ${RUN}, ${secs} s). `
      + "Overwritten by every run.",
    "",
    "## Machine",
    "",
    "```",
    `nproc: ${m.nproc}`,
    m.free,
    `kernel: ${m.kernel}`,
    `java: ${m.java}`,
    `node: ${m.node}`,
    `postgres: ${m.postgres} (private cluster on 127.0.0.1:${PG_PORT}, initdb'd by run.sh, fsync on)`,
    `nginx: ${m.nginx}`,
    `jar: ${m.jar}`,
    "```",
    "",
    "## What runs",
    "",
    `- Load: ${ROOMS} rooms x ${MEMBERS} members (member 0 long-polling, the others websocket), each sending `
      + `${RATE_PER_MEMBER} TEXT msg/s with an ack callback (${ROOMS * MEMBERS * RATE_PER_MEMBER} msg/s offered), `
      + `unique content per message, ack timeout ${ACK_TIMEOUT_MS / 1000} s. Server limits lifted as in BENCH_SERVER_ENV.`,
    `- pg-outage-fast / -immediate: 5 s of load, \`pg_ctl stop -m fast|immediate\`, ${OUTAGE_MS / 1000} s outage, `
      + "`pg_ctl start -w`, 10 s more load; /health polled every 0.5 s. Recovery = from `pg_ctl start -w` returning "
      + "(PostgreSQL accepts connections) to the first ok ack.",
    "- kill9: 6 s of load, SIGKILL, restart on the same port and database; clients reconnect and re-join with "
      + "their sessions; 5 s more load; a new member reads REST history.",
    "- sigterm: 5 s of load, SIGTERM; Engine.IO polling handshakes probed every 20 ms until the process exits; "
      + "the JVM runs its shutdown hook (logged \"shutting down\") some ms after the signal, from which on none may be accepted.",
    "- uploads: 600 KB PNG uploaded (a) with FILE_SERVER_URL on a closed port, (b) with UPLOAD_DIR on a 1 MB tmpfs "
      + "with ~200 KB free, then a 64 KB one that fits, (c) to an nginx WebDAV file server (FILE_SERVER_URL) whose data "
      + "and body-buffer dirs are on such a tmpfs. Checked: error envelope, leftovers in storage and in the JVM's temp dir.",
    "- Every case: the server log is scanned for stack-trace lines, SQL, room/session tokens and message content; "
      + "PostgreSQL cases read back every stored content of the case with psql (each case has its own database).",
    "",
    "## Commands",
    "",
    "```",
    "bash bench/faults/run.sh                      # all cases; FAULTS_CASES=baseline,kill9,... for some",
    "initdb -D <tmp>/pg/data -A trust -U postgres  # as user postgres; port " + PG_PORT + ", fsync on",
    "pg_ctl -D <data> -m fast|immediate -w stop ; pg_ctl -D <data> -l <log> -w start",
    "DATABASE_URL=jdbc:postgresql://127.0.0.1:" + PG_PORT + "/faults_<case>?user=postgres java -Xmx256m -jar <copy of ghostrooms-server.jar>",
    "kill -KILL <pid> ; kill -TERM <pid>",
    "mount -t tmpfs -o size=1m tmpfs <dir>        # full-disk upload cases",
    "psql -h 127.0.0.1 -p " + PG_PORT + " -U postgres -d faults_<case> -Atc \"SELECT content FROM messages WHERE content LIKE '<tag>-%'\"",
    "```",
    "",
    "## Results",
    "",
  ];
  for (const r of results) {
    md.push(`### ${r.pass ? "PASS" : "FAIL"} — ${r.case}`, "");
    for (const l of summaryLine(r)) md.push(`- ${l}`);
    if (r.log) md.push(`- server log: ${r.log.stackTraceLines} stack-trace lines, ${r.log.sqlLines} SQL, `
      + `${r.log.tokenLines} token, ${r.log.contentLines} content; WARN/ERROR kinds: ${r.log.warnings.length ? "" : "none"}`);
    if (r.log) for (const w of r.log.warnings) md.push(`  - \`${w}\``);
    for (const c of r.checks ?? []) md.push(`- [${c.ok ? "x" : " "}] ${c.name}${c.ok || c.fatal !== false ? "" : " (finding, not a failure)"}`);
    for (const f of r.failed ?? []) md.push(`- **FAILED**: ${f}`);
    for (const f of r.notes ?? []) md.push(`- **WARN**: ${f}`);
    md.push("");
  }
  md.push(
    "## Reading the numbers",
    "",
    "- ackedButMissing / broadcastButMissing: messages a client was told were stored (ok ack) or saw broadcast, "
      + "absent from PostgreSQL afterwards. Must be 0. noAckButStored / errorButStored: stored although the sender "
      + "got no ack / an error (e.g. the process was killed after the commit, before the ack left): not a loss.",
    "- Outage: the writer fails the first batch that finds PostgreSQL gone, then fails writes at once for 1 s before "
      + "trying again, so error acks stay within the pool's 3 s connection timeout. /health answers 503 after that same "
      + "3 s wait. Recovery after `pg_ctl start -w` is bounded by HikariCP's reconnect backoff (10 ms doubling to 5 s, "
      + "not configurable): ~0.5 s after a fast stop, ~5 s after an immediate one (a connection attempt during crash "
      + "recovery fails and the pool sleeps its full backoff); errorsAfterPgUp are the sends refused in that window.",
    "- sigterm: sends on open sockets after SIGTERM get SERVER_BUSY while the writer drains (~4 s, mostly Netty's "
      + "graceful event-loop shutdown); a handshake accepted before the JVM ran its shutdown hook (hookStartMs) is the "
      + "signal's own latency, not a leak.",
    "- A WARN line (not a failure) is a finding outside the fault injected, e.g. Netty's leak report for "
      + "netty-socketio 2.0.14's PacketDecoder, which copies each packet of a multi-packet polling POST into a pooled "
      + "buffer it never releases.",
    "",
    "## JSON (one line per case)", "", "```", ...results.map((r) => JSON.stringify(r)), "```", "");
  writeFileSync(RESULTS, md.join("\n"));
  log(`wrote ${RESULTS}`);
  process.exit(allPass ? 0 : 1);
}

main().catch((e) => {
  console.error("faults.mjs crashed:", e);
  process.exit(1);
});
