// Raw Engine.IO v4 (websocket and long-polling) and raw HTTP/1.1, for the bytes the real
// socket.io-client never sends: malformed packets, foreign sids, oversized or invalid frames.
import { request as httpRequest } from "node:http";
import { connect as tcpConnect } from "node:net";
import WebSocket from "ws";
import { checkResponse } from "./openapi.mjs";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const socketPath = (query) => `/socket.io/?EIO=4&${query}`;

/**
 * A packet with a unique ack id whose answer marks a point in the stream: events of one socket
 * are handled in order, so whatever a packet sent before it causes arrives before its answer.
 * It is answered NOT_IN_ROOM, so it only works for a socket that is in no room.
 */
export const PROBE = '42999["send_message",{}]';
export const PROBE_ANSWER = '43999[{"ok":false,"error":{"message":"Not in a room","code":"NOT_IN_ROOM"}}]';
/** Broadcasts every socket gets whenever anyone joins or leaves anything: not answers to us. */
export const isBroadcast = (f) => typeof f === "string" && /^42\["(active_users|public_rooms_update)",/.test(f);

/**
 * A raw websocket to /socket.io/. Resolves once open (and, with `connect`, once the default
 * namespace answered "40{...}"); rejects with the HTTP status when the upgrade is refused.
 * `frames` holds every frame received (text as strings, binary as Buffers); pings are answered.
 */
export async function rawSocket(server, { connect = true, query = "transport=websocket", headers, perMessageDeflate = false } = {}) {
  const ws = new WebSocket(server.url.replace(/^http/, "ws") + socketPath(query), { headers, perMessageDeflate });
  ws.frames = [];
  // A server that drops the connection may reset it: that shows as the close, not a crash.
  ws.on("error", () => {});
  const waiters = new Set();
  ws.on("message", (data, isBinary) => {
    const frame = isBinary ? data : data.toString();
    if (frame === "2") ws.send("3");
    ws.frames.push(frame);
    waiters.forEach((w) => w());
  });
  ws.closed = new Promise((ok) => ws.on("close", (code, reason) => ok({ code, reason: reason.toString() })));
  ws.closed.then(() => waiters.forEach((w) => w()));
  /** The first text frame (received or to come) matching; rejects on timeout or close. */
  ws.next = (predicate, timeoutMs = 3000) => new Promise((ok, fail) => {
    const check = () => {
      const i = ws.frames.findIndex((f) => typeof f === "string" && predicate(f));
      if (i >= 0) {
        waiters.delete(check);
        clearTimeout(timer);
        ok(ws.frames.splice(i, 1)[0]);
      } else if (ws.readyState === WebSocket.CLOSED) {
        waiters.delete(check);
        clearTimeout(timer);
        fail(new Error(`closed while waiting; frames: ${JSON.stringify(ws.frames).slice(0, 300)}`));
      }
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      fail(new Error(`no matching frame in ${timeoutMs} ms; frames: ${JSON.stringify(ws.frames).slice(0, 300)}`));
    }, timeoutMs);
    waiters.add(check);
    check();
  });
  /** Resolves with the close, or "open" if the socket is still open after ms. */
  ws.closedWithin = (ms) => Promise.race([ws.closed, sleep(ms).then(() => "open")]);
  /** Frames received so far that are neither broadcasts nor pings. */
  ws.answers = () => ws.frames.filter((f) => f !== "2" && !isBroadcast(f));
  /** Sends PROBE and resolves with the answers (not broadcasts) that came before its own. */
  ws.probe = async (timeoutMs = 3000) => {
    ws.send(PROBE);
    await ws.next((f) => f === PROBE_ANSWER, timeoutMs);
    const before = ws.answers();
    ws.frames.length = 0;
    return before;
  };
  await new Promise((ok, fail) => {
    ws.once("open", ok);
    ws.once("error", fail);
    ws.once("unexpected-response", (req, res) => {
      const error = new Error(`upgrade refused with ${res.statusCode}`);
      error.status = res.statusCode;
      error.headers = res.headers;
      fail(error);
      req.destroy();
    });
  });
  await ws.next((f) => f.startsWith("0{"));
  if (connect) {
    ws.send("40");
    await ws.next((f) => f.startsWith("40{"));
  }
  return ws;
}

/** A raw long-polling session: handshake, optional "40" connect, then post()/poll() with its sid. */
export async function pollingSession(server, { connect = true, headers = {} } = {}) {
  const open = await pollRequest(server, { headers });
  if (open.status !== 200 || !open.text.startsWith("0{")) throw new Error(`handshake failed: ${open.status} ${open.text}`);
  const sid = JSON.parse(open.text.slice(1)).sid;
  const session = {
    sid,
    /** Packets received and not consumed yet (pings are answered, noops dropped). */
    packets: [],
    post: (body, extra = {}) => pollRequest(server, { sid, method: "POST", body, ...extra }),
    poll: (extra = {}) => pollRequest(server, { sid, ...extra }),
    /** Long-polls until a packet matching arrives; resolves with it. One GET at a time, as Engine.IO wants. */
    async next(predicate, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = session.packets.findIndex(predicate);
        if (i >= 0) return session.packets.splice(i, 1)[0];
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching packet in ${timeoutMs} ms; got ${JSON.stringify(session.packets).slice(0, 300)}`);
        const got = await session.poll({ timeoutMs: left });
        if (got.timedOut) continue;
        if (got.status !== 200) throw new Error(`poll answered ${got.status} ${got.text}`);
        for (const p of got.text.split("\x1e")) {
          if (p === "2") await session.post("3");
          else if (p !== "6") session.packets.push(p);
        }
      }
    },
    /** Posts PROBE and resolves with the packets (not broadcasts) that came before its answer. */
    async probe(timeoutMs = 3000) {
      const posted = await session.post(PROBE);
      if (posted.status !== 200) throw new Error(`POST answered ${posted.status} ${posted.text}`);
      await session.next((p) => p === PROBE_ANSWER, timeoutMs);
      const before = session.packets.filter((p) => !isBroadcast(p));
      session.packets.length = 0;
      return before;
    },
  };
  if (connect) {
    const posted = await session.post("40");
    if (posted.text !== "ok") throw new Error("connect refused: " + posted.text);
    await session.next((p) => p.startsWith("40{"));
  }
  return session;
}

/**
 * One polling request, on a connection of its own: the server closes a polling connection whose
 * packets it could not decode, and a pooled keep-alive connection would fail the next request.
 * Resolves {status, text, headers} (headers as a Headers object) or {timedOut: true} when no answer
 * came within timeoutMs (a long poll with nothing to deliver waits for the 25 s ping).
 */
export function pollRequest(server, { sid, method = "GET", body, headers = {}, query = "", timeoutMs = 4000 } = {}) {
  const path = socketPath(`transport=polling${sid ? `&sid=${encodeURIComponent(sid)}` : ""}${query}`);
  const payload = body === undefined ? undefined : Buffer.from(body);
  return new Promise((ok, fail) => {
    const req = httpRequest(server.url + path, {
      method, agent: false,
      headers: payload === undefined ? headers
        : { "content-type": "text/plain;charset=UTF-8", "content-length": payload.length, ...headers },
    }, (res) => {
      const chunks = [];
      res.on("data", (d) => chunks.push(d));
      res.on("end", () => {
        clearTimeout(timer);
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) h.set(k, Array.isArray(v) ? v.join(", ") : v);
        ok({ status: res.statusCode, text: Buffer.concat(chunks).toString(), headers: h });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      ok({ timedOut: true });
    }, timeoutMs);
    req.on("error", (e) => {
      clearTimeout(timer);
      fail(e);
    });
    req.end(payload);
  });
}

/**
 * Sends exact bytes over a fresh TCP connection and parses the first HTTP response. Resolves
 * {status, headers, body} (body as a latin1 string), or {status: null, raw} when the server closed
 * without a complete response, or {timedOut: true, raw} after timeoutMs.
 */
export async function rawHttp(server, bytes, { timeoutMs = 5000 } = {}) {
  const result = await rawHttpOnce(server, bytes, { timeoutMs });
  const [request] = requestsIn(Buffer.from(bytes).toString("latin1"));
  if (request && result.status) await checkRest(server, request, result);
  return result;
}

function rawHttpOnce(server, bytes, { timeoutMs }) {
  return new Promise((ok) => {
    const chunks = [];
    let done = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      ok(result);
    };
    const parse = () => {
      const raw = Buffer.concat(chunks).toString("latin1");
      const end = raw.indexOf("\r\n\r\n");
      if (end < 0) return null;
      const [statusLine, ...lines] = raw.slice(0, end).split("\r\n");
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      const length = Number(headers["content-length"] ?? NaN);
      const body = raw.slice(end + 4);
      if (Number.isFinite(length) && body.length < length) return null;
      return { status: Number(statusLine.split(" ")[1]), headers, body: Number.isFinite(length) ? body.slice(0, length) : body };
    };
    const socket = tcpConnect(server.port, "127.0.0.1", () => socket.write(bytes));
    socket.on("data", (d) => {
      chunks.push(d);
      const parsed = parse();
      if (parsed) finish(parsed);
    });
    // A reset after the response is complete still leaves the response readable.
    socket.on("error", () => finish(parse() ?? { status: null, raw: Buffer.concat(chunks).toString("latin1") }));
    socket.on("close", () => finish(parse() ?? { status: null, raw: Buffer.concat(chunks).toString("latin1") }));
    const timer = setTimeout(() => finish({ timedOut: true, raw: Buffer.concat(chunks).toString("latin1") }), timeoutMs);
  });
}

/**
 * Sends exact bytes (a string is sent as latin1, one byte per character) over a fresh TCP
 * connection, reads until the server closes it (or timeoutMs), then parses every HTTP response in
 * what came back, in order: for pipelining, and to see that nothing follows a refusal. `bodiless`
 * lists the indexes of responses that carry no body whatever their Content-Length (HEAD answers).
 * Resolves {responses: [{status, headers, body}], rest, closed, raw}: `rest` is whatever followed
 * the last complete response, `closed` false when the server still held the connection open at
 * timeoutMs. Headers that repeat are joined with ", ".
 */
export async function rawHttpAll(server, bytes, { timeoutMs = 5000, bodiless = [] } = {}) {
  const result = await rawHttpAllOnce(server, bytes, { timeoutMs, bodiless });
  const requests = requestsIn(typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("latin1"));
  for (let i = 0; i < Math.min(requests.length, result.responses.length); i++) {
    await checkRest(server, requests[i], result.responses[i]);
  }
  return result;
}

function rawHttpAllOnce(server, bytes, { timeoutMs, bodiless }) {
  return new Promise((ok) => {
    const chunks = [];
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString("latin1");
      ok({ ...parseResponses(raw, bodiless), closed, raw });
    };
    const socket = tcpConnect(server.port, "127.0.0.1",
      () => socket.write(typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes));
    socket.on("data", (d) => chunks.push(d));
    socket.on("end", () => finish(true));
    socket.on("error", () => finish(true));
    socket.on("close", () => finish(true));
    const timer = setTimeout(() => finish(false), timeoutMs);
  });
}

function parseResponses(raw, bodiless) {
  const responses = [];
  let at = 0;
  for (;;) {
    const end = raw.indexOf("\r\n\r\n", at);
    if (end < 0) break;
    const [statusLine, ...lines] = raw.slice(at, end).split("\r\n");
    if (!/^HTTP\/1\.[01] \d{3}/.test(statusLine)) break;
    const headers = {};
    for (const l of lines) {
      const name = l.slice(0, l.indexOf(":")).toLowerCase();
      const value = l.slice(l.indexOf(":") + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const status = Number(statusLine.split(" ")[1]);
    const noBody = bodiless.includes(responses.length) || status < 200 || status === 204 || status === 304;
    const length = noBody ? 0 : Number(headers["content-length"] ?? NaN);
    if (!Number.isFinite(length) || raw.length < end + 4 + length) break;
    responses.push({ status, headers, body: raw.slice(end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
  return { responses, rest: raw.slice(at) };
}

/**
 * Checks a response of a REST route (anything but the Socket.IO path) against the server's
 * OpenAPI document, as the REST helpers of client.mjs do. The body came as latin1: it is read
 * back as the UTF-8 it was.
 */
async function checkRest(server, { method, target }, response) {
  let path = target;
  if (/^https?:\/\//i.test(target)) {
    try { path = new URL(target).pathname + new URL(target).search; } catch { return; }
  }
  if (!path.startsWith("/") || path.startsWith("/socket.io")) return;
  const body = response.body === undefined ? undefined : Buffer.from(response.body, "latin1").toString("utf8");
  await checkResponse(server, method, path, response.status, response.headers["content-type"], body);
}

/**
 * The requests in bytes sent as one stream (latin1), in order, as {method, target}: each one's
 * body is skipped by its framing. Parsing stops after a request whose framing is ambiguous (the
 * server refuses it and reads nothing after it), so a request hidden in a body is never counted.
 */
export function requestsIn(raw) {
  const requests = [];
  let at = 0;
  while (at < raw.length) {
    const end = raw.indexOf("\r\n\r\n", at);
    if (end < 0) break;
    const [line, ...headerLines] = raw.slice(at, end).split("\r\n");
    const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(line);
    if (!m) break;
    requests.push({ method: m[1], target: m[2] });
    const headers = headerLines.map((l) => [l.slice(0, l.indexOf(":")).trim().toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]);
    const lengths = headers.filter(([k]) => k === "content-length").map(([, v]) => v);
    const encodings = headers.filter(([k]) => k === "transfer-encoding").map(([, v]) => v.toLowerCase());
    let next = end + 4;
    if (encodings.length === 1 && encodings[0] === "chunked" && lengths.length === 0) {
      for (;;) {
        const lineEnd = raw.indexOf("\r\n", next);
        const size = lineEnd < 0 ? NaN : parseInt(raw.slice(next, lineEnd).split(";")[0], 16);
        if (!Number.isFinite(size)) return requests;
        next = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
    } else if (encodings.length === 0 && lengths.length <= 1) {
      if (lengths.length === 1) {
        if (!/^\d+$/.test(lengths[0])) break;
        next += Number(lengths[0]);
      }
    } else {
      break;
    }
    at = next;
  }
  return requests;
}
