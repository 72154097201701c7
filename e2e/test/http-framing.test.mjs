// HTTP/1.1 message framing on the one port (issue 23 class 1; RFC 9112 §6.1, §6.3, §9.3.2, §3.2.2),
// as raw bytes over fresh TCP connections: ambiguous framing gets one 400 and a closed connection
// (nothing after it answered or processed: no request smuggling), HEAD is GET without a body,
// pipelined requests are answered in request order, an absolute-form target is routed by its path.
// The same refusals hold on the REST routes, the Socket.IO polling path and the streaming upload.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GENEROUS, startServer } from "../lib/server.mjs";
import { api, PNG, upload } from "../lib/client.mjs";
import { pollingSession, rawHttpAll } from "../lib/raw.mjs";

const MALFORMED_BODY = '{"success":false,"error":{"message":"Malformed request","code":"INVALID_REQUEST"}}';
const NOT_IN_ROOM = '{"ok":false,"error":{"message":"Not in a room","code":"NOT_IN_ROOM"}}';

let server;
before(async () => { server = await startServer(GENEROUS); });
after(async () => { await server?.stop(); });

/** One request as a latin1 string (rawHttpAll sends it byte for byte): the request line, Host, the given header lines (in order), the body as is. */
const request = (method, target, headerLines = [], body = "") =>
  `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headerLines.map((h) => h + "\r\n").join("")}\r\n${body}`;
const get = (target, headerLines = []) => request("GET", target, headerLines);
const HIDDEN_GET = get("/api/rooms/public");

/** Exactly one response, the contract's 400, then the connection closed with nothing after it. */
function assertRefusedAlone(result, what) {
  assert.equal(result.closed, true, `${what}: connection closed`);
  assert.equal(result.responses.length, 1, `${what}: exactly one response, got ${JSON.stringify(result.raw.slice(0, 400))}`);
  const [res] = result.responses;
  assert.equal(res.status, 400, what);
  assert.equal(res.body, MALFORMED_BODY, what);
  assert.equal(res.headers["content-type"], "application/json; charset=utf-8", what);
  assert.equal(res.headers.connection, "close", what);
  assert.equal(result.rest, "", `${what}: nothing after the refusal`);
}

async function assertServes() {
  const health = await api(server, "GET", "/health");
  assert.equal(health.status, 200);
  assert.equal(health.json.status, "ok");
}

/** Framing headers that must be refused, each with a body that hides a second request. */
const AMBIGUOUS = {
  "Content-Length and Transfer-Encoding": (hidden) => [[`Content-Length: ${("0\r\n\r\n" + hidden).length}`, "Transfer-Encoding: chunked"], "0\r\n\r\n" + hidden],
  "Transfer-Encoding and Content-Length": (hidden) => [["Transfer-Encoding: chunked", `Content-Length: ${("0\r\n\r\n" + hidden).length}`], "0\r\n\r\n" + hidden],
  "Transfer-Encoding twice": (hidden) => [["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"], "0\r\n\r\n" + hidden],
  "Transfer-Encoding: chunked, chunked": (hidden) => [["Transfer-Encoding: chunked, chunked"], "0\r\n\r\n" + hidden],
  "Transfer-Encoding: chunked, gzip": (hidden) => [["Transfer-Encoding: chunked, gzip"], "0\r\n\r\n" + hidden],
  "Transfer-Encoding: gzip": (hidden) => [["Transfer-Encoding: gzip"], "0\r\n\r\n" + hidden],
  "Content-Length: abc": (hidden) => [["Content-Length: abc"], hidden],
  "Content-Length: 2, 2": (hidden) => [["Content-Length: 2, 2"], "{}" + hidden],
  "Content-Length twice": (hidden) => [["Content-Length: 2", "Content-Length: 2"], "{}" + hidden],
  "Content-Length of 20 digits": (hidden) => [["Content-Length: 12345678901234567890"], hidden],
  "Content-Length: 0x2": (hidden) => [["Content-Length: 0x2"], "{}" + hidden],
  "Content-Length: -1": (hidden) => [["Content-Length: -1"], hidden],
  "Content-Length: +2": (hidden) => [["Content-Length: +2"], "{}" + hidden],
  "empty Content-Length": (hidden) => [["Content-Length: "], hidden],
};

describe("HTTP/1.1 framing", () => {
  test("the smuggling attempt: POST /api/rooms with Content-Length and Transfer-Encoding hiding a GET gets one 400, then close", async () => {
    const body = "0\r\n\r\n" + HIDDEN_GET;
    for (const order of [
      [`Content-Length: ${body.length}`, "Transfer-Encoding: chunked"],
      ["Transfer-Encoding: chunked", `Content-Length: ${body.length}`],
    ]) {
      const result = await rawHttpAll(server, request("POST", "/api/rooms", ["Content-Type: application/json", ...order], body));
      // Before: the POST was answered (400 INVALID_ROOM, empty chunked body) on a kept connection,
      // and then the hidden GET got its own 200.
      assertRefusedAlone(result, order.join(" + "));
      assert.doesNotMatch(result.raw, /"data"/, "the hidden GET is never answered");
    }
    await assertServes();
  });

  test("a request hidden behind ambiguous framing is never processed (a public room it would create does not exist)", async () => {
    const name = `smuggled${Date.now() % 100000}`;
    const roomBody = JSON.stringify({ isPublic: true, name });
    const hidden = request("POST", "/api/rooms", ["Content-Type: application/json", `Content-Length: ${roomBody.length}`], roomBody);
    for (const [what, frame] of Object.entries(AMBIGUOUS)) {
      const [headers, body] = frame(hidden);
      assertRefusedAlone(await rawHttpAll(server, request("POST", "/api/rooms", ["Content-Type: application/json", ...headers], body)), what);
    }
    const listed = await api(server, "GET", "/api/rooms/public");
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.json.data.filter((r) => r.name === name), [], "no hidden request created a room");
  });

  for (const [what, frame] of Object.entries(AMBIGUOUS)) {
    test(`${what} is refused with 400 and the connection closed (REST)`, async () => {
      const [headers, body] = frame(HIDDEN_GET);
      assertRefusedAlone(await rawHttpAll(server, request("POST", "/api/rooms", ["Content-Type: application/json", ...headers], body)), what);
    });
  }

  test("a refusal pipelined behind a good request comes in its turn, and nothing after it is answered", async () => {
    const bad = request("POST", "/api/rooms", ["Content-Length: 4", "Transfer-Encoding: chunked"], "0\r\n\r\n");
    const result = await rawHttpAll(server, get("/api/rooms/public") + bad + get("/health"));
    assert.equal(result.closed, true);
    assert.deepEqual(result.responses.map((r) => r.status), [200, 400]);
    assert.equal(JSON.parse(result.responses[0].body).success, true);
    assert.equal(result.responses[1].body, MALFORMED_BODY);
    assert.equal(result.rest, "");
  });

  test("HEAD /health is GET without a body, and the GET pipelined after it is answered correctly", async () => {
    const result = await rawHttpAll(server, request("HEAD", "/health") + get("/health", ["Connection: close"]), { bodiless: [0] });
    assert.equal(result.closed, true);
    assert.equal(result.responses.length, 2, JSON.stringify(result.raw));
    const [head, full] = result.responses;
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-type"], "application/json; charset=utf-8");
    assert.ok(Number(head.headers["content-length"]) > 50, "the GET body's length is announced");
    assert.equal(head.body, "");
    // Had the HEAD answer carried its body, it would have been read as the start of this response.
    assert.equal(full.status, 200);
    assert.equal(JSON.parse(full.body).status, "ok");
    assert.equal(result.rest, "");
  });

  test("HEAD of an uploaded file announces its length and sends none of it", async () => {
    const stored = await upload(server, "pixel.png", PNG, "image/png");
    assert.equal(stored.status, 201);
    const path = new URL(stored.json.attachment.url, server.url).pathname;
    const result = await rawHttpAll(server, request("HEAD", path) + get(path, ["Connection: close"]), { bodiless: [0] });
    assert.deepEqual(result.responses.map((r) => r.status), [200, 200]);
    assert.equal(result.responses[0].headers["content-length"], String(PNG.length));
    assert.equal(result.responses[0].body, "");
    assert.equal(Buffer.from(result.responses[1].body, "latin1").equals(PNG), true);
    assert.equal(result.rest, "");
  });

  test("three pipelined requests (the slow database one first) are answered in request order", async () => {
    const roomBody = JSON.stringify({ name: "pipelined" });
    const bytes = request("POST", "/api/rooms", ["Content-Type: application/json", `Content-Length: ${roomBody.length}`], roomBody)
      + get("/health") + get("/api/rooms/public", ["Connection: close"]);
    // Before: REST answers were written as their workers finished; /health regularly overtook the POST.
    for (let i = 0; i < 15; i++) {
      const result = await rawHttpAll(server, bytes);
      assert.equal(result.closed, true);
      assert.deepEqual(result.responses.map((r) => r.status), [201, 200, 200], `run ${i}: ${result.raw.slice(0, 600)}`);
      const [created, health, listed] = result.responses.map((r) => JSON.parse(r.body));
      assert.equal(created.data.name, "pipelined");
      assert.equal(health.status, "ok");
      assert.ok(Array.isArray(listed.data));
      assert.equal(result.rest, "");
    }
  });

  test("an absolute-form target is routed by its path and query", async () => {
    const result = await rawHttpAll(server, get(`http://127.0.0.1:${server.port}/health`)
      + get(`http://127.0.0.1:${server.port}/api/rooms/public?x=1`)
      + get(`http://127.0.0.1:${server.port}/api/nothing-here`, ["Connection: close"]));
    assert.deepEqual(result.responses.map((r) => r.status), [200, 200, 404]);
    assert.equal(JSON.parse(result.responses[0].body).status, "ok");
    assert.equal(JSON.parse(result.responses[1].body).success, true);
    assert.equal(JSON.parse(result.responses[2].body).error.code, "NOT_FOUND");
  });

  test("the Socket.IO handshake works in absolute form too", async () => {
    const result = await rawHttpAll(server, get(`http://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=polling`));
    assert.equal(result.responses[0]?.status, 200, result.raw);
    assert.match(result.responses[0].body, /^0\{"sid":/);
  });

  test("the same framing refusals on the Socket.IO polling path, and the session goes on", async () => {
    const session = await pollingSession(server);
    const path = `/socket.io/?EIO=4&transport=polling&sid=${session.sid}`;
    // The hidden part would be a second POST carrying an event of this socket.
    const event = '42777["send_message",{}]';
    const hidden = request("POST", path, ["Content-Type: text/plain", `Content-Length: ${event.length}`], event);
    for (const [what, frame] of Object.entries(AMBIGUOUS)) {
      const [headers, body] = frame(hidden);
      assertRefusedAlone(await rawHttpAll(server, request("POST", path, ["Content-Type: text/plain", ...headers], body)), `polling: ${what}`);
    }
    for (const [what, frame] of Object.entries(AMBIGUOUS).slice(0, 3)) {
      const [headers, body] = frame(hidden);
      assertRefusedAlone(await rawHttpAll(server, request("POST", "/socket.io/?EIO=4&transport=polling", headers, body)),
        `polling handshake: ${what}`);
    }
    // No event of the hidden POSTs reached the socket: the next answer is the probe's own.
    assert.deepEqual(await session.probe(), []);
    assert.equal((await session.post('42778["send_message",{}]')).text, "ok");
    assert.equal(await session.next((p) => p.startsWith("43778")), `43778[${NOT_IN_ROOM}]`);
  });

  test("the same framing refusals on the streaming upload, and uploads still work", async () => {
    const boundary = "----framing";
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n`
      + `Content-Type: image/png\r\n\r\n${PNG.toString("latin1")}\r\n--${boundary}--\r\n`;
    for (const [what, frame] of Object.entries(AMBIGUOUS)) {
      const [headers, body] = frame(multipart);
      assertRefusedAlone(await rawHttpAll(server, request("POST", "/api/files/upload",
        [`Content-Type: multipart/form-data; boundary=${boundary}`, ...headers], body)), `upload: ${what}`);
    }
    // A well-framed upload, chunked, pipelined behind a GET: answered in order.
    const chunked = `${multipart.length.toString(16)}\r\n${multipart}\r\n0\r\n\r\n`;
    const result = await rawHttpAll(server, get("/health") + request("POST", "/api/files/upload",
      [`Content-Type: multipart/form-data; boundary=${boundary}`, "Transfer-Encoding: chunked", "Connection: close"], chunked));
    assert.deepEqual(result.responses.map((r) => r.status), [200, 201], result.raw.slice(0, 600));
    assert.equal(JSON.parse(result.responses[1].body).attachment.fileSize, PNG.length);
    await assertServes();
  });

  test("a well-framed chunked REST request is read by its chunks", async () => {
    const body = JSON.stringify({ name: "chunky" });
    const chunked = `5\r\n${body.slice(0, 5)}\r\n${(body.length - 5).toString(16)}\r\n${body.slice(5)}\r\n0\r\n\r\n`;
    const result = await rawHttpAll(server, request("POST", "/api/rooms",
      ["Content-Type: application/json", "Transfer-Encoding: chunked", "Connection: close"], chunked));
    assert.equal(result.responses[0]?.status, 201, result.raw);
    assert.equal(JSON.parse(result.responses[0].body).data.name, "chunky");
  });
});
