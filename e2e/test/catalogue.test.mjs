// The hostile-input catalogue (issue 5): malformed Engine.IO/Socket.IO packets over raw websocket
// and raw polling, oversized frames and bodies, wrong payload types, 1 MB strings, invalid UTF-8,
// SQL injection and XSS strings in every field, hostile uploads and attachment URLs, foreign
// tokens, token enumeration, foreign origins and foreign sids. Each case asserts the exact safe
// outcome, that the members already chatting are unaffected, and that a fresh client can still
// join and chat. edges.test.mjs covers flat junk payloads on each event and forged attachments
// that look like ours; this file covers what it does not.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { deflateRawSync } from "node:zlib";
import { io } from "socket.io-client";
import { GENEROUS, startServer } from "../lib/server.mjs";
import {
  api, connect, createRoom, emitAck, expectNone, joinAll, joinRest, PNG, upload, waitFor,
} from "../lib/client.mjs";
import { checkResponse } from "../lib/openapi.mjs";
import { pollingSession, pollRequest, PROBE_ANSWER, rawHttp, rawSocket, sleep } from "../lib/raw.mjs";

const ALLOWED = "http://chat.example";
const ALSO_ALLOWED = "http://app.example";
const FOREIGN = "http://evil.example";
const LOOKUP_LIMIT = 5;
const FRAME_LIMIT = 128 * 1024;
const MB = "m".repeat(1 << 20);
const SQL = ["' OR '1'='1", "'; DROP TABLE rooms; --", "1); DELETE FROM messages WHERE (1=1", "\" OR \"\"=\"", "x' UNION SELECT token FROM rooms --"];
const XSS = "<script>alert(document.cookie)</script>";
const NOT_IN_ROOM = '{"ok":false,"error":{"message":"Not in a room","code":"NOT_IN_ROOM"}}';
const TOO_LARGE = { success: false, error: { message: "Request body is too large", code: "PAYLOAD_TOO_LARGE" } };
const MALFORMED = { success: false, error: { message: "Malformed request", code: "INVALID_REQUEST" } };
const UNKNOWN_SESSION = { code: 1, message: "Session ID unknown" };
const BAD_REQUEST = { code: 3, message: "Bad request" };

let server; // generous limits, CORS "*"
let strict; // CORS_ORIGIN is a list, RATE_LIMIT_LOOKUPS_PER_MINUTE is 5
const open = [];

before(async () => {
  [server, strict] = await Promise.all([
    startServer(GENEROUS),
    startServer({ ...GENEROUS, CORS_ORIGIN: `${ALLOWED},${ALSO_ALLOWED}`, RATE_LIMIT_LOOKUPS_PER_MINUTE: String(LOOKUP_LIMIT) }),
  ]);
});
after(async () => {
  open.forEach((s) => (s.terminate ? s.terminate() : s.close()));
  await Promise.all([server?.stop(), strict?.stop()]);
});

const track = (s) => {
  open.push(s);
  return s;
};
const raw = async (options) => track(await rawSocket(server, options));
/** One client frame as RFC 6455 puts it on the wire (masked), with the given first byte. */
const maskedFrame = (firstByte, payload) => {
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const length = payload.length < 126 ? Buffer.from([0x80 | payload.length])
    : payload.length < 65536 ? Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff])
      : (() => { const b = Buffer.alloc(9); b[0] = 0x80 | 127; b.writeBigUInt64BE(BigInt(payload.length), 1); return b; })();
  return Buffer.concat([Buffer.from([firstByte]), length, mask, payload.map((byte, i) => byte ^ mask[i % 4])]);
};

/** Two members already chatting: whatever a hostile client does must not reach or break them. */
async function liveRoom(transport = "websocket") {
  const token = await createRoom(server);
  const [a, b] = await joinAll(server, transport, token, ["alice", "bob"]);
  open.push(a, b);
  return {
    token, a, b,
    async stillChats(text = "still chatting") {
      const ack = await emitAck(a, "send_message", { type: "TEXT", content: text });
      assert.equal(ack.ok, true, JSON.stringify(ack));
      const seen = await waitFor(b, "new_message", (m) => m.id === ack.message.id);
      assert.equal(seen.content, text);
      assert.ok(!a.events.some((e) => e.event === "error") && !b.events.some((e) => e.event === "error"),
        "the bystanders got no error");
    },
  };
}

/** The server still serves: a fresh client joins a new room and chats with a second one. */
async function assertServes(srv = server) {
  const token = await createRoom(srv);
  const [a, b] = await joinAll(srv, "websocket", token, ["fresh", "peer"]);
  try {
    const ack = await emitAck(a, "send_message", { type: "TEXT", content: "served" });
    assert.equal(ack.ok, true);
    assert.equal((await waitFor(b, "new_message", (m) => m.id === ack.message.id)).content, "served");
  } finally {
    a.close();
    b.close();
  }
}

/** The strict server still serves (its lookup budget may be spent, so no REST join). */
async function assertStrictServes() {
  assert.equal((await api(strict, "GET", "/health")).status, 200);
  const s = track(await connect(strict, "websocket"));
  s.emit("get_active_users");
  assert.ok(Array.isArray((await waitFor(s, "active_users")).users));
  s.close();
}

function deepObject(levels) {
  let o = {};
  for (let i = 0; i < levels; i++) o = { a: o };
  return o;
}

function deepArray(levels) {
  let o = [];
  for (let i = 0; i < levels; i++) o = [o];
  return o;
}

/** A multipart upload whose file name is sent byte for byte (FormData would escape it). */
async function uploadNamed(srv, fileName, bytes, type = "application/octet-stream") {
  const boundary = "----catalogue" + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="`),
    Buffer.isBuffer(fileName) ? fileName : Buffer.from(fileName),
    Buffer.from(`"\r\nContent-Type: ${type}\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await fetch(srv.url + "/api/files/upload", {
    method: "POST", body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  });
  const text = await res.text();
  await checkResponse(srv, "POST", "/api/files/upload", res.status, res.headers.get("content-type"), text);
  return { status: res.status, json: JSON.parse(text) };
}

const request = (method, path, headers = {}, body = "") =>
  Buffer.concat([Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("") +
    (body.length ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : "") + "\r\n"), Buffer.from(body)]);

describe("hostile input catalogue", () => {
  // ---- 1. malformed Engine.IO / Socket.IO packets -------------------------------------------

  test("unknown Engine.IO packet types end only that websocket connection", async () => {
    const room = await liveRoom();
    for (const frame of ["7", "8hello", "9", "x", "~"]) {
      const ws = await raw();
      ws.send(frame);
      // netty-socketio cannot decode the type: the connection is dropped without a close frame.
      assert.deepEqual(await ws.closedWithin(3000), { code: 1006, reason: "" }, frame);
    }
    await room.stillChats();
    await assertServes();
  });

  test("unknown Engine.IO packet types over polling are dropped and the session goes on", async () => {
    const room = await liveRoom("polling");
    const session = await pollingSession(server);
    for (const packet of ["7", "8hello", "9", "x"]) {
      const posted = await session.post(packet);
      assert.deepEqual([posted.status, posted.text], [200, "ok"], packet);
    }
    // Nothing came of them, and the session still answers in order.
    assert.deepEqual(await session.probe(), []);
    await room.stillChats();
    await assertServes();
  });

  test("unknown Socket.IO packet types end only that websocket connection", async () => {
    const room = await liveRoom();
    for (const frame of ["47", '48["x"]', '49["get_active_users"]', '4x["get_active_users"]']) {
      const ws = await raw();
      ws.send(frame);
      assert.deepEqual(await ws.closedWithin(3000), { code: 1006, reason: "" }, frame);
    }
    await room.stillChats();
    await assertServes();
  });

  test("unknown Socket.IO packet types over polling are dropped and the session goes on", async () => {
    const session = await pollingSession(server);
    for (const packet of ["47", '48["x"]', '49["get_active_users"]']) {
      assert.equal((await session.post(packet)).text, "ok", packet);
    }
    assert.deepEqual(await session.probe(), []);
    await assertServes();
  });

  const BAD_EVENTS = ['42["get_active_users"', '42{"event":"get_active_users"}', "42[]", '42[5,{}]', '42[null]', '42"get_active_users"', "42[", "42"];

  test("bad JSON in an EVENT packet ends only that websocket connection", async () => {
    const room = await liveRoom();
    for (const frame of BAD_EVENTS) {
      const ws = await raw();
      ws.send(frame);
      ws.send('42["get_active_users"]');
      assert.deepEqual(await ws.closedWithin(3000), { code: 1006, reason: "" }, frame);
      assert.deepEqual(ws.answers(), [], `${frame}: nothing was answered`);
    }
    await room.stillChats();
    await assertServes();
  });

  test("bad JSON in an EVENT packet over polling is dropped and the session goes on", async () => {
    const session = await pollingSession(server);
    for (const packet of BAD_EVENTS) {
      // The POST is answered before its packets are decoded; the bad packet is then dropped.
      assert.equal((await session.post(packet)).text, "ok", packet);
      assert.deepEqual(await session.probe(), [], packet);
    }
    await assertServes();
  });

  test("negative, huge and non-numeric ack ids are answered to the sender only, which stays usable", async () => {
    const room = await liveRoom();
    const ws = await raw();
    const session = await pollingSession(server);
    // A well-formed id comes back as sent.
    ws.send('425["send_message",{}]');
    assert.deepEqual(await ws.probe(), [`435[${NOT_IN_ROOM}]`]);
    // Over polling each answer is awaited by itself: netty-socketio answers a POST before it
    // decodes its packets, so packets of consecutive POSTs are not ordered.
    await session.post('425["send_message",{}]');
    assert.equal(await session.next((p) => p.startsWith("43")), `435[${NOT_IN_ROOM}]`);
    const oddAck = /^43-?\d+\[\{"ok":false,"error":\{"message":"Not in a room","code":"NOT_IN_ROOM"\}\}\]$/;
    for (const id of ["-7", "99999999999999999999999", "9223372036854775807", "abc", "12x"]) {
      // netty-socketio reads the id digit by digit without checking: whatever number it makes of
      // it goes back in a well-formed ACK to this client only.
      ws.send(`42${id}["send_message",{}]`);
      const [viaWs, ...moreWs] = await ws.probe();
      assert.match(viaWs, oddAck, id);
      assert.deepEqual(moreWs, []);
      await session.post(`42${id}["send_message",{}]`);
      assert.match(await session.next((p) => p.startsWith("43")), oddAck, id);
    }
    await expectNone(room.a, "error", 100);
    await room.stillChats();
    await assertServes();
  });

  test("ACK packets for acks the server never asked for are ignored; one without an id ends a websocket", async () => {
    const ws = await raw();
    const session = await pollingSession(server);
    for (const packet of ["431[null]", "431[]", "4399999999999[null,null]", "43-1[null]", '437[{"ok":true}]']) {
      ws.send(packet);
      assert.deepEqual(await ws.probe(), [], packet);
      await session.post(packet);
      assert.deepEqual(await session.probe(), [], packet);
    }
    const noId = await raw();
    noId.send("43[null]");
    assert.deepEqual(await noId.closedWithin(3000), { code: 1006, reason: "" });
    assert.equal(ws.readyState, 1, "the other raw socket is still open");
    await assertServes();
  });

  test("a BINARY_EVENT whose attachments never arrive closes the websocket at once", async () => {
    const room = await liveRoom();
    for (const count of ["1", "2147483647"]) {
      const ws = await raw();
      ws.send(`45${count}-["send_message",{"_placeholder":true,"num":0}]`);
      // Before: the packet waited for its attachments and every later frame, binary or text, was
      // kept as one, without any bound (2^31 frames of 128 KB).
      ws.send(Buffer.concat([Buffer.from([4]), Buffer.alloc(64 * 1024, 7)]), { binary: true });
      ws.send('42["get_active_users"]');
      assert.deepEqual(await ws.closedWithin(3000), { code: 1006, reason: "" }, count);
      assert.deepEqual(ws.answers(), [], "nothing was dispatched");
    }
    await room.stillChats();
    await assertServes();
  });

  test("a BINARY_EVENT over polling is dropped with its missing attachments and the next packet is an event again", async () => {
    const session = await pollingSession(server);
    for (const count of ["1", "2147483647"]) {
      assert.equal((await session.post(`45${count}-["send_message",{"_placeholder":true,"num":0}]`)).text, "ok");
      // Before: the probe became the missing attachment (send_message ran, and the probe was
      // never answered).
      assert.deepEqual(await session.probe(), [], count);
    }
    await assertServes();
  });

  test("a CONNECT to an unknown namespace gets a CONNECT_ERROR and the default namespace works on", async () => {
    const ws = await raw();
    ws.send("40/admin,");
    assert.equal(await ws.next((f) => f.startsWith("44")), '44/admin,"Invalid namespace"');
    ws.send('42/admin,["send_message",{}]'); // an event to that namespace goes nowhere
    assert.deepEqual(await ws.probe(), []);
    const session = await pollingSession(server);
    await session.post("40/admin,");
    assert.equal(await session.next((p) => p.startsWith("44")), '44/admin,"Invalid namespace"');
    // The real client sees a connect_error and never connects.
    const client = track(io(server.url + "/admin", { transports: ["websocket"], forceNew: true, reconnection: false }));
    const outcome = await new Promise((ok) => {
      client.once("connect", () => ok("connected"));
      client.once("connect_error", () => ok("connect_error"));
    });
    assert.equal(outcome, "connect_error");
    await assertServes();
  });

  // ---- 2. oversized frames and bodies -----------------------------------------------------

  test("a websocket frame over 128 KB ends only that connection; one just under is handled", async () => {
    const room = await liveRoom();
    const under = await raw();
    under.send("42" + JSON.stringify(["send_message", { type: "TEXT", content: "u".repeat(FRAME_LIMIT - 100) }]));
    assert.equal(await under.next((f) => f.startsWith('42["error"')), '42["error",{"message":"Not in a room","code":"NOT_IN_ROOM"}]');
    const over = await raw();
    over.send("42" + JSON.stringify(["send_message", { type: "TEXT", content: "o".repeat(FRAME_LIMIT) }]));
    assert.deepEqual(await over.closedWithin(3000), { code: 1006, reason: "" });
    assert.equal(under.readyState, 1);
    await room.stillChats();
    await assertServes();
  });

  test("permessage-deflate is not negotiated, so a compressed frame ends the connection", async () => {
    const room = await liveRoom();
    // Offered, as browsers do, and declined: the client then sends plain frames and chats as usual.
    const offered = await raw({ perMessageDeflate: true });
    assert.equal(offered.extensions, "");
    offered.send("42" + JSON.stringify(["send_message", { type: "TEXT", content: "z".repeat(100_000) }]));
    assert.equal(await offered.next((f) => f.startsWith('42["error"')), '42["error",{"message":"Not in a room","code":"NOT_IN_ROOM"}]');
    // About 10 KB of deflated zeros that would inflate to 10 MB: a text frame with RSV1 set,
    // written past the client library, which would not compress without the extension.
    const bomb = await raw();
    bomb._socket.write(maskedFrame(0xc1, deflateRawSync(Buffer.from("42" + JSON.stringify(["send_message", { type: "TEXT", content: "z".repeat(10 << 20) }])))));
    assert.deepEqual(await bomb.closedWithin(3000), { code: 1006, reason: "" });
    assert.deepEqual(bomb.answers(), []);
    assert.equal(offered.readyState, 1);
    await room.stillChats();
    await assertServes();
  });

  test("a websocket message fragmented into frames totalling over 128 KB ends the connection", async () => {
    const small = await raw();
    small.send('42999["send_', { fin: false });
    small.send('message",{}]', { fin: true });
    await small.next((f) => f === PROBE_ANSWER);
    const big = await raw();
    const part = "f".repeat(50 * 1024);
    big.send('42["send_message",{"type":"TEXT","content":"' + part, { fin: false });
    big.send(part, { fin: false });
    big.send(part, { fin: false });
    big.send('"}]', { fin: true });
    assert.deepEqual(await big.closedWithin(3000), { code: 1006, reason: "" });
    assert.deepEqual(big.answers(), []);
    await assertServes();
  });

  test("a polling POST over 128 KB gets 413 and the session goes on", async () => {
    const room = await liveRoom("polling");
    const session = await pollingSession(server);
    const path = `/socket.io/?EIO=4&transport=polling&sid=${session.sid}`;
    const body = "42" + JSON.stringify(["send_message", { type: "TEXT", content: "p".repeat(FRAME_LIMIT) }]);
    const refused = await rawHttp(server, request("POST", path, { "Content-Type": "text/plain" }, body));
    assert.equal(refused.status, 413);
    assert.equal(refused.headers.connection, "close");
    assert.deepEqual(JSON.parse(refused.body), TOO_LARGE);
    // Just under the limit is read and handled.
    const under = "42998" + JSON.stringify(["send_message", { type: "TEXT", content: "p".repeat(FRAME_LIMIT - 100) }]);
    assert.equal((await session.post(under)).text, "ok");
    assert.equal(await session.next((p) => p.startsWith("43998")), `43998[${NOT_IN_ROOM}]`);
    assert.deepEqual(await session.probe(), []);
    await room.stillChats();
    await assertServes();
  });

  // ---- 3. wrong payload types (flat junk is in edges.test.mjs) --------------------------------

  for (const transport of ["websocket", "polling"]) {
    test(`payloads nested 500 levels deep get the contract's error code on every event (${transport})`, async () => {
      const room = await liveRoom(transport);
      const { a } = room;
      const expected = {
        send_message: ["INVALID_MESSAGE_TYPE", "INVALID_PAYLOAD"],
        delete_message: ["MESSAGE_NOT_FOUND", "INVALID_PAYLOAD"],
        set_username: ["INVALID_USERNAME", "INVALID_USERNAME"],
        // The session is checked first: without one it is INVALID_SESSION whatever the room.
        join_room: ["INVALID_SESSION", "INVALID_PAYLOAD"],
      };
      for (const [event, [objectCode, arrayCode]] of Object.entries(expected)) {
        a.emit(event, deepObject(500));
        assert.equal((await waitFor(a, "error")).code, objectCode, `${event} object`);
        a.emit(event, deepArray(500));
        assert.equal((await waitFor(a, "error")).code, arrayCode, `${event} array`);
      }
      for (const event of ["get_active_users", "get_public_rooms", "heartbeat"]) a.emit(event, deepObject(500));
      await waitFor(a, "active_users");
      await waitFor(a, "public_rooms_update");
      await expectNone(a, "error", 200);
      await room.stillChats();
    });
  }

  test("a payload nested 10,000 levels deep ends a websocket connection and is dropped over polling", async () => {
    const room = await liveRoom();
    const deep = '42["send_message",' + "[".repeat(10_000) + "]".repeat(10_000) + "]";
    const ws = await raw();
    ws.send(deep);
    assert.deepEqual(await ws.closedWithin(3000), { code: 1006, reason: "" });
    const session = await pollingSession(server);
    assert.equal((await session.post(deep)).text, "ok");
    assert.deepEqual(await session.probe(), []);
    await room.stillChats();
    await assertServes();
  });

  test("events that need a payload get the contract's code with none, or with null through an ack", async () => {
    const { a, b, stillChats } = await liveRoom();
    const expected = { send_message: "INVALID_PAYLOAD", delete_message: "INVALID_PAYLOAD", set_username: "INVALID_USERNAME", join_room: "INVALID_PAYLOAD" };
    for (const [event, code] of Object.entries(expected)) {
      a.emit(event);
      assert.equal((await waitFor(a, "error")).code, code, `${event} without payload`);
      // With an ack callback the error goes to the ack, not to an error event.
      const ack = await emitAck(a, event, null);
      assert.deepEqual(ack, { ok: false, error: { message: ack.error.message, code } }, event);
      assert.equal(typeof ack.error.message, "string");
    }
    await expectNone(a, "error", 200);
    await expectNone(b, "new_message", 0);
    await stillChats();
  });

  test("events without a payload ignore whatever payload comes with them", async () => {
    const { a, b, stillChats } = await liveRoom();
    for (const junk of [null, "x", 7, ["a"], deepObject(50), { roomToken: "ghost-00000000" }]) {
      a.emit("get_active_users", junk);
      assert.ok(Array.isArray((await waitFor(a, "active_users")).users));
      a.emit("get_public_rooms", junk);
      assert.ok(Array.isArray((await waitFor(a, "public_rooms_update")).rooms));
      a.emit("heartbeat", junk);
    }
    await expectNone(a, "error", 200);
    b.emit("leave_room", { roomToken: "ghost-00000000", all: true });
    assert.deepEqual(await waitFor(b, "room_left"), { nickname: "bob" });
    assert.equal((await waitFor(a, "user_left")).nickname, "bob");
    // Unknown event names are ignored too.
    a.emit("drop_table", { table: "rooms" });
    a.emit("__proto__", { polluted: true });
    a.emit("heartbeat");
    await expectNone(a, "error", 200);
    const ack = await emitAck(a, "send_message", { type: "TEXT", content: "alone" });
    assert.equal(ack.ok, true);
    await assertServes();
  });

  // ---- 4. 1 MB strings in every field ----------------------------------------------------

  test("1 MB strings in REST bodies get the 413 envelope", async () => {
    const token = await createRoom(server);
    for (const [path, body] of [
      ["/api/rooms", { name: MB }],
      ["/api/rooms", { ttlHours: MB }],
      ["/api/rooms", { isPublic: MB, isDM: MB }],
      [`/api/rooms/${token}/join`, { nickname: MB }],
    ]) {
      const res = await api(server, "POST", path, body);
      assert.equal(res.status, 413, path);
      assert.deepEqual(res.json, TOO_LARGE);
    }
    await assertServes();
  });

  test("1 MB strings in a URL path, query or header get 400 Malformed request", async () => {
    const token = await createRoom(server);
    const session = await joinRest(server, token, "owner");
    for (const [what, bytes] of [
      ["room token in the path", request("GET", `/api/rooms/${MB}`)],
      ["before query", request("GET", `/api/messages/${token}?before=${MB}`, { Authorization: `Bearer ${session}` })],
      ["bearer token", request("GET", `/api/messages/${token}`, { Authorization: `Bearer ${MB}` })],
      ["origin header", request("GET", "/api/rooms/public", { Origin: MB })],
    ]) {
      // Before: Netty's fragment of the request was routed (404, or 401 without the header).
      const res = await rawHttp(server, bytes);
      assert.equal(res.status, 400, what);
      assert.deepEqual(JSON.parse(res.body), MALFORMED, what);
    }
    assert.equal((await api(server, "GET", `/api/messages/${token}`, undefined, { Authorization: `Bearer ${session}` })).status, 200);
    await assertServes();
  });

  for (const transport of ["websocket", "polling"]) {
    test(`1 MB strings in any socket event field end that connection only (${transport})`, async () => {
      const room = await liveRoom(transport);
      const payloads = {
        "send_message.content": ["send_message", { type: "TEXT", content: MB }],
        "send_message.type": ["send_message", { type: MB, content: "x" }],
        "send_message.clientId": ["send_message", { type: "TEXT", content: "x", clientId: MB }],
        "send_message.attachments.url": ["send_message", { type: "IMAGE", attachments: [{ id: "x", url: MB }] }],
        "join_room.roomToken": ["join_room", { roomToken: MB, sessionToken: "x" }],
        "join_room.sessionToken": ["join_room", { roomToken: room.token, sessionToken: MB }],
        "set_username.username": ["set_username", { username: MB }],
        "delete_message.messageId": ["delete_message", { messageId: MB }],
      };
      for (const [field, [event, payload]] of Object.entries(payloads)) {
        const s = track(await connect(server, transport));
        const closed = new Promise((ok) => s.once("disconnect", ok));
        s.emit(event, payload);
        // websocket: the frame (or what it inflates to) passes 128 KB; polling: the POST gets 413.
        assert.equal(await Promise.race([closed, sleep(5000).then(() => "still connected")]),
          transport === "websocket" ? "transport close" : "transport error", field);
      }
      await room.stillChats();
      const history = await api(server, "GET", `/api/messages/${room.token}`, undefined, { Authorization: `Bearer ${room.b.sessionToken}` });
      assert.deepEqual(history.json.data.map((m) => m.content), ["still chatting"]);
      await assertServes();
    });
  }

  // ---- 5. invalid UTF-8 ---------------------------------------------------------------------

  const BAD_UTF8 = Buffer.from([0xff, 0xfe, 0xc3, 0x28]);
  const withBadUtf8 = (before, after) => Buffer.concat([Buffer.from(before), BAD_UTF8, Buffer.from(after)]);

  test("invalid UTF-8 in a websocket text frame ends that connection only", async () => {
    const room = await liveRoom();
    const ws = await raw();
    ws.send(withBadUtf8('42["set_username",{"username":"', '"}]'), { binary: false });
    assert.deepEqual(await ws.closedWithin(3000), { code: 1006, reason: "" });
    assert.deepEqual(ws.answers(), []);
    await room.stillChats();
    await assertServes();
  });

  test("invalid UTF-8 in a polling body drops the packet and the session goes on", async () => {
    const session = await pollingSession(server);
    assert.equal((await session.post(withBadUtf8('42["set_username",{"username":"ab', '"}]'))).text, "ok");
    assert.deepEqual(await session.probe(), []);
    await assertServes();
  });

  test("invalid UTF-8 in a REST JSON body is 400 with the route's code", async () => {
    const token = await createRoom(server);
    for (const [path, body, code] of [
      ["/api/rooms", withBadUtf8('{"name":"', '"}'), "INVALID_ROOM"],
      [`/api/rooms/${token}/join`, withBadUtf8('{"nickname":"ab', '"}'), "INVALID_NICKNAME"],
    ]) {
      const res = await fetch(server.url + path, { method: "POST", body, headers: { "content-type": "application/json" } });
      assert.equal(res.status, 400, path);
      assert.deepEqual(await res.json(), { success: false, error: { message: "Request body is not valid JSON", code } });
    }
    assert.equal((await api(server, "POST", `/api/rooms/${token}/join`, { nickname: "ab" })).status, 201);
    await assertServes();
  });

  test("invalid UTF-8 in a URL path is a plain 404 or 400, never a 500", async () => {
    const token = await createRoom(server);
    const session = await joinRest(server, token, "owner");
    const notFound = { success: false, error: { message: "Room not found", code: "ROOM_NOT_FOUND" } };
    for (const [path, status, body] of [
      ["/api/rooms/ghost-%ff%fe", 404, notFound],
      ["/api/rooms/ghost-%c3%28/validate", 404, notFound],
      ["/api/files/%ff%fe.png", 404, { success: false, error: { message: "File not found", code: "NOT_FOUND" } }],
      ["/api/rooms/%zz", 400, { success: false, error: { message: "Malformed URL", code: "INVALID_REQUEST" } }],
    ]) {
      const res = await api(server, "GET", path);
      assert.equal(res.status, status, path);
      assert.deepEqual(res.json, body, path);
    }
    const history = await api(server, "GET", `/api/messages/${token}%ff`, undefined, { Authorization: `Bearer ${session}` });
    assert.equal(history.status, 403);
    // Raw bytes that are not UTF-8 in the request line.
    const rawPath = await rawHttp(server, Buffer.concat([Buffer.from("GET /api/rooms/ghost-"), BAD_UTF8,
      Buffer.from(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")]));
    assert.equal(rawPath.status, 404);
    assert.deepEqual(JSON.parse(rawPath.body), notFound);
    await assertServes();
  });

  // ---- 6. SQL injection ---------------------------------------------------------------------

  test("SQL injection in REST fields, paths and query parameters is stored verbatim or refused, never a 500", async () => {
    const named = [];
    for (const sql of SQL) {
      const created = await api(server, "POST", "/api/rooms", { name: sql, isPublic: true });
      assert.equal(created.status, 201);
      assert.equal(created.json.data.name, sql);
      const info = await api(server, "GET", `/api/rooms/${created.json.data.token}`);
      assert.equal(info.json.data.name, sql);
      named.push(created.json.data.token);
      // Nicknames allow letters, digits, space . _ - only.
      const join = await api(server, "POST", `/api/rooms/${created.json.data.token}/join`, { nickname: sql });
      assert.equal(join.status, 400);
      assert.equal(join.json.error.code, "INVALID_NICKNAME");
    }
    const listed = (await api(server, "GET", "/api/rooms/public")).json.data.map((r) => r.name);
    for (const sql of SQL) assert.ok(listed.includes(sql), sql);
    // SQL words inside the nickname rule are just a nickname.
    const joined = await api(server, "POST", `/api/rooms/${named[0]}/join`, { nickname: "x-- DROP TABLE rooms" });
    assert.equal(joined.status, 201);
    assert.equal(joined.json.data.nickname, "x-- DROP TABLE rooms");
    const session = joined.json.data.sessionToken;
    for (const sql of SQL) {
      const t = encodeURIComponent(sql);
      assert.equal((await api(server, "GET", `/api/rooms/${t}`)).json.error.code, "ROOM_NOT_FOUND");
      assert.equal((await api(server, "GET", `/api/rooms/${t}/validate`)).json.error.code, "ROOM_NOT_FOUND");
      assert.equal((await api(server, "POST", `/api/rooms/${t}/join`, { nickname: "eve" })).json.error.code, "ROOM_NOT_FOUND");
      assert.equal((await api(server, "GET", `/api/messages/${t}`, undefined, { Authorization: `Bearer ${session}` })).status, 403);
      assert.equal((await api(server, "GET", `/api/messages/${named[0]}`, undefined, { Authorization: `Bearer ${sql}` })).status, 401);
      assert.equal((await api(server, "GET", `/api/messages/${named[0]}?limit=${t}`, undefined, { Authorization: `Bearer ${session}` })).status, 400);
      assert.equal((await api(server, "GET", `/api/messages/${named[0]}?before=${t}`, undefined, { Authorization: `Bearer ${session}` })).status, 400);
      assert.equal((await api(server, "GET", `/api/files/${t}`)).status, 404);
      assert.equal((await api(server, "GET", `/api/files/message/${t}`)).status, 404);
    }
    // The tables are intact: the rooms are still there and new rooms, joins and messages work.
    for (const token of named) assert.equal((await api(server, "GET", `/api/rooms/${token}/validate`)).status, 200);
    await assertServes();
  });

  test("SQL injection in socket event fields is stored and echoed verbatim or refused with its code", async () => {
    const { token, a, b } = await liveRoom();
    const sent = [];
    for (const sql of SQL) {
      const text = await emitAck(a, "send_message", { type: "TEXT", content: sql, clientId: sql.slice(0, 30) });
      assert.equal(text.message.content, sql);
      const sticker = await emitAck(a, "send_message", { type: "STICKER", content: sql });
      assert.equal(sticker.message.content, sql);
      sent.push(text.message, sticker.message);
      a.emit("join_room", { roomToken: sql, sessionToken: sql });
      assert.equal((await waitFor(a, "error")).code, "INVALID_SESSION");
      a.emit("join_room", { roomToken: token, sessionToken: sql });
      assert.equal((await waitFor(a, "error")).code, "INVALID_SESSION");
      a.emit("delete_message", { messageId: sql });
      assert.equal((await waitFor(a, "error")).code, "MESSAGE_NOT_FOUND");
    }
    // Usernames follow the nickname rule, which has no quotes, '=' or ';'.
    const probe = track(await connect(server, "websocket"));
    probe.emit("set_username", { username: "' OR 1=1; --" });
    assert.equal((await waitFor(probe, "error")).code, "INVALID_USERNAME");
    await waitFor(b, "new_message", (m) => m.id === sent.at(-1).id);
    // Stored verbatim, and the room is still the same room to its members.
    const history = await api(server, "GET", `/api/messages/${token}?limit=100`, undefined, { Authorization: `Bearer ${b.sessionToken}` });
    assert.deepEqual(history.json.data, sent);
    assert.equal((await emitAck(b, "send_message", { type: "TEXT", content: "after" })).ok, true);
    await assertServes();
  });

  test("SQL injection in an upload's file name is kept verbatim as its display name only", async () => {
    const name = "x' UNION SELECT token FROM rooms --.png";
    const res = await uploadNamed(server, name, PNG, "image/png");
    assert.equal(res.status, 201);
    assert.equal(res.json.attachment.fileName, name);
    assert.match(res.json.attachment.url, /\/api\/files\/[0-9a-f-]{36}\.png$/);
    const got = await fetch(res.json.attachment.url.replace(/^http:\/\/localhost:\d+/, server.url));
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), PNG);
    await assertServes();
  });

  // ---- 7. XSS ------------------------------------------------------------------------------

  test("XSS in a nickname or username is refused; in a room name it is stored and echoed verbatim as JSON", async () => {
    const token = await createRoom(server);
    const nick = await api(server, "POST", `/api/rooms/${token}/join`, { nickname: "<b onclick=x>" });
    assert.equal(nick.status, 400);
    assert.equal(nick.json.error.code, "INVALID_NICKNAME");
    const name = `<img src=x onerror=alert(1)>${XSS}`;
    const created = await api(server, "POST", "/api/rooms", { name, isPublic: true });
    assert.equal(created.json.data.name, name);
    const res = await fetch(`${server.url}/api/rooms/${created.json.data.token}`);
    // JSON, never sniffed as HTML: the client renders the name as text.
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal((await res.json()).data.name, name);
    const s = track(await connect(server, "websocket"));
    s.emit("set_username", { username: "<b onmouseover=x>" });
    assert.equal((await waitFor(s, "error")).code, "INVALID_USERNAME");
    s.emit("get_public_rooms");
    const listed = await waitFor(s, "public_rooms_update", (p) => p.rooms.some((r) => r.token === created.json.data.token));
    assert.equal(listed.rooms.find((r) => r.token === created.json.data.token).name, name);
    await assertServes();
  });

  test("XSS in message text and stickers reaches every member and history exactly as sent", async () => {
    const { token, a, b } = await liveRoom();
    const text = await emitAck(a, "send_message", { type: "TEXT", content: `${XSS}<img src=x onerror=alert(1)>&lt;&#x3C;` });
    const sticker = await emitAck(a, "send_message", { type: "STICKER", content: "<svg/onload=alert(1)>" });
    assert.equal(text.message.content, `${XSS}<img src=x onerror=alert(1)>&lt;&#x3C;`);
    assert.equal(sticker.message.content, "<svg/onload=alert(1)>");
    assert.deepEqual(await waitFor(b, "new_message", (m) => m.id === text.message.id), text.message);
    assert.deepEqual(await waitFor(b, "new_message", (m) => m.id === sticker.message.id), sticker.message);
    const [late] = await joinAll(server, "polling", token, ["late"]);
    open.push(late);
    assert.deepEqual(late.joined.messages, [text.message, sticker.message]);
    const history = await api(server, "GET", `/api/messages/${token}`, undefined, { Authorization: `Bearer ${b.sessionToken}` });
    assert.deepEqual(history.json.data, [text.message, sticker.message]);
    await assertServes();
  });

  test("XSS in a file name is kept as its display name; files are served with a safe type, disposition and nosniff", async () => {
    const { a, b } = await liveRoom();
    const name = "<svg onload>alert(1)<x>.png";
    const image = await uploadNamed(server, name, PNG, "image/png");
    assert.equal(image.status, 201);
    assert.equal(image.json.attachment.fileName, name);
    const sent = await emitAck(a, "send_message", { type: "IMAGE", attachments: [image.json.attachment] });
    assert.deepEqual(sent.message.attachments, [image.json.attachment]);
    await waitFor(b, "new_message", (m) => m.id === sent.message.id);
    const img = await fetch(image.json.attachment.url.replace(/^http:\/\/localhost:\d+/, server.url));
    assert.equal(img.headers.get("content-type"), "image/png");
    assert.equal(img.headers.get("x-content-type-options"), "nosniff");
    const disposition = img.headers.get("content-disposition");
    assert.match(disposition, /^inline; filename\*=UTF-8''[A-Za-z0-9%._*-]+$/, "the name is percent-encoded in the header");
    assert.equal(decodeURIComponent(disposition.slice("inline; filename*=UTF-8''".length)), name);
    // A text file full of HTML is served as plain text and as a download.
    const page = await uploadNamed(server, "page.txt", Buffer.from(`<html><body>${XSS}</body></html>`), "text/html");
    assert.equal(page.status, 201);
    assert.equal(page.json.attachment.mimeType, "text/plain");
    const txt = await fetch(page.json.attachment.url.replace(/^http:\/\/localhost:\d+/, server.url));
    assert.equal(txt.headers.get("content-type"), "text/plain");
    assert.equal(txt.headers.get("x-content-type-options"), "nosniff");
    assert.equal(txt.headers.get("content-disposition"), "attachment; filename*=UTF-8''page.txt");
    assert.equal(await txt.text(), `<html><body>${XSS}</body></html>`);
    await assertServes();
  });

  // ---- 8. uploads: traversal and type spoofing ----------------------------------------------

  test("path traversal in upload file names is refused or kept as a display name only; nothing lands outside UPLOAD_DIR", async () => {
    const pathRefused = { success: false, error: { message: "File name must not contain a path", code: "INVALID_FILE_TYPE" } };
    for (const name of ["../../etc/passwd", "../../catalogue-evil.png", "..\\..\\catalogue-evil.png", "/etc/catalogue-evil.png",
      "C:\\catalogue-evil.png", "./catalogue-evil.png"]) {
      const res = await uploadNamed(server, name, PNG, "image/png");
      assert.equal(res.status, 400, name);
      assert.deepEqual(res.json, pathRefused, name);
    }
    for (const name of ["..", "."]) {
      const res = await uploadNamed(server, name, PNG, "image/png");
      assert.equal(res.status, 400, name);
      assert.equal(res.json.error.code, "INVALID_FILE_TYPE");
    }
    // Encoded traversal and NUL bytes are only characters of a display name (a NUL shown as U+FFFD).
    const kept = [
      ["..%2f..%2fcatalogue-evil.png", "..%2f..%2fcatalogue-evil.png"],
      ["..%5c..%5ccatalogue-evil.png", "..%5c..%5ccatalogue-evil.png"],
      [Buffer.from("catalogue-evil\0.png"), "catalogue-evil\uFFFD.png"],
      [Buffer.from("catalogue-evil.html\0.png"), "catalogue-evil.html\uFFFD.png"],
    ];
    for (const [name, shown] of kept) {
      const res = await uploadNamed(server, name, PNG, "image/png");
      assert.equal(res.status, 201, String(name));
      assert.equal(res.json.attachment.fileName, shown);
      assert.match(res.json.attachment.url, /\/api\/files\/[0-9a-f-]{36}\.png$/);
    }
    const nulHtml = await uploadNamed(server, Buffer.from("catalogue-evil.png\0.html"), PNG, "image/png");
    assert.equal(nulHtml.status, 400);
    assert.equal(nulHtml.json.error.code, "INVALID_FILE_TYPE");
    // Every stored file has a generated name, and none escaped the directory.
    for (const f of readdirSync(server.uploadDir)) assert.match(f, /^[0-9a-f-]{36}\.[a-z0-9]+$/);
    for (const dir of [dirname(server.uploadDir), dirname(dirname(server.uploadDir)), "/etc"]) {
      assert.deepEqual(readdirSync(dir).filter((f) => f.includes("catalogue-evil")), [], dir);
    }
    await assertServes();
  });

  test("content-type spoofing in uploads is refused: the extension and the leading bytes decide", async () => {
    const refused = { success: false, error: { message: "File type not allowed", code: "INVALID_FILE_TYPE" } };
    const html = Buffer.from(`<!doctype html><html>${XSS}</html>`);
    const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`);
    for (const [name, bytes, type] of [
      ["page.html", html, "image/png"],
      ["page.png", html, "image/png"],
      ["logo.svg", svg, "image/png"],
      ["logo.png", svg, "image/svg+xml"],
      ["dot.html", PNG, "image/png"],
      ["dot.htm", PNG, "text/html"],
      ["dot.js", PNG, "image/png"],
      ["photo.jpg", PNG, "image/jpeg"],
      ["run.exe.txt", Buffer.from("MZ\x90\x00binary"), "text/plain"],
    ]) {
      const res = await uploadNamed(server, name, bytes, type);
      assert.equal(res.status, 400, name);
      assert.deepEqual(res.json, refused, name);
    }
    // The declared type is ignored: a real PNG declared as HTML is stored and served as a PNG.
    const png = await uploadNamed(server, "dot.png", PNG, "text/html");
    assert.equal(png.status, 201);
    assert.equal(png.json.attachment.mimeType, "image/png");
    const got = await fetch(png.json.attachment.url.replace(/^http:\/\/localhost:\d+/, server.url));
    assert.equal(got.headers.get("content-type"), "image/png");
    assert.equal(got.headers.get("x-content-type-options"), "nosniff");
    await assertServes();
  });

  // ---- 9. forged attachment URLs --------------------------------------------------------------

  test("forged attachment URLs are INVALID_ATTACHMENT; forged metadata on a real upload is replaced by ours", async () => {
    const { a, b, stillChats } = await liveRoom();
    const other = await liveRoom();
    const real = (await upload(server, "dot.png", PNG, "image/png")).json.attachment;
    const stored = real.url.slice(real.url.lastIndexOf("/") + 1);
    for (const url of [
      `http://evil.example/api/files/${stored}`,
      real.url.replace(/^http:/, "https:"),
      "javascript:alert(document.cookie)",
      "data:text/html,<script>alert(1)</script>",
      "file:///etc/passwd",
      real.url.replace(stored, `..%2f..%2f${stored}`),
      real.url.replace(stored, `%2e%2e/${stored}`),
      `${real.url}?download=1`,
      `${real.url}#x`,
      `//evil.example/api/files/${stored}`,
      stored,
    ]) {
      const r = await emitAck(a, "send_message", { type: "IMAGE", attachments: [{ ...real, url }] });
      assert.deepEqual(r, { ok: false, error: { message: "Attachment was not uploaded to this server", code: "INVALID_ATTACHMENT" } }, url);
    }
    await expectNone(b, "new_message", 100);
    // The real id and URL with forged name, type and size: the stored message carries our metadata.
    const forged = { ...real, fileName: "invoice.html", mimeType: "text/html", fileSize: 1 };
    const ok = await emitAck(a, "send_message", { type: "IMAGE", attachments: [forged] });
    assert.equal(ok.ok, true);
    assert.deepEqual(ok.message.attachments, [real]);
    // Once claimed by a message in this room, no other room (nor this one) can reuse it.
    for (const s of [other.a, a]) {
      const again = await emitAck(s, "send_message", { type: "IMAGE", attachments: [real] });
      assert.equal(again.error.code, "INVALID_ATTACHMENT");
    }
    await expectNone(other.b, "new_message", 100);
    await stillChats();
    await assertServes();
  });

  // ---- 10. another room's session token ---------------------------------------------------

  test("a session token of another room is refused by join_room and REST history", async () => {
    const first = await liveRoom();
    const second = await liveRoom();
    const stranger = track(await connect(server, "websocket"));
    stranger.emit("join_room", { roomToken: first.token, sessionToken: second.b.sessionToken });
    assert.equal((await waitFor(stranger, "error")).code, "INVALID_SESSION");
    // The same socket that is in room two cannot hop into room one with its own token either.
    second.b.emit("join_room", { roomToken: first.token, sessionToken: second.b.sessionToken });
    assert.equal((await waitFor(second.b, "error")).code, "INVALID_SESSION");
    const history = await api(server, "GET", `/api/messages/${first.token}`, undefined, { Authorization: `Bearer ${second.b.sessionToken}` });
    assert.equal(history.status, 403);
    assert.deepEqual(history.json, { success: false, error: { message: "Session does not belong to this room", code: "FORBIDDEN" } });
    await sleep(100);
    assert.ok(!first.a.events.some((e) => e.event === "user_joined" && e.args[0].nickname !== "bob"), "nobody joined room one");
    await first.stillChats();
    await second.stillChats();
    await assertServes();
  });

  // ---- 11. token enumeration (server with RATE_LIMIT_LOOKUPS_PER_MINUTE=5) --------------------

  test("token enumeration from one IP gets 429 with retryAfter after RATE_LIMIT_LOOKUPS_PER_MINUTE", async () => {
    const real = (await api(strict, "POST", "/api/rooms", {})).json.data.token;
    const random = () => "ghost-" + Math.random().toString(36).slice(2, 10).padEnd(8, "0");
    const lookups = [
      () => api(strict, "GET", `/api/rooms/${random()}`),
      () => api(strict, "GET", `/api/rooms/${random()}/validate`),
      () => api(strict, "POST", `/api/rooms/${random()}/join`, { nickname: "eve" }),
    ];
    for (let i = 0; i < LOOKUP_LIMIT; i++) {
      const res = await lookups[i % 3]();
      assert.equal(res.status, 404, `lookup ${i + 1}`);
    }
    // Past the limit every kind of lookup is refused, even of a room that exists.
    for (const lookup of [...lookups, () => api(strict, "GET", `/api/rooms/${real}`), () => api(strict, "POST", `/api/rooms/${real}/join`, { nickname: "eve" })]) {
      const res = await lookup();
      assert.equal(res.status, 429);
      assert.equal(res.json.success, false);
      assert.equal(res.json.error.code, "RATE_LIMIT_EXCEEDED");
      assert.ok(Number.isInteger(res.json.error.retryAfter) && res.json.error.retryAfter > 0 && res.json.error.retryAfter <= 60,
        JSON.stringify(res.json));
    }
    // Other routes are not lookups.
    assert.equal((await api(strict, "POST", "/api/rooms", {})).status, 201);
    assert.equal((await api(strict, "GET", "/api/rooms/public")).status, 200);
    await assertStrictServes();
  });

  // ---- 12. CORS with a list of origins ------------------------------------------------------

  test("REST from a foreign origin is refused with 403 and no CORS headers, simple or preflight", async () => {
    const forbidden = { success: false, error: { message: "Origin not allowed", code: "FORBIDDEN" } };
    for (const [method, path, headers] of [
      ["GET", "/api/rooms/public", {}],
      ["GET", "/health", {}],
      ["POST", "/api/rooms", { "content-type": "text/plain" }],
      ["OPTIONS", "/api/rooms", { "access-control-request-method": "POST", "access-control-request-headers": "content-type" }],
    ]) {
      const res = await fetch(strict.url + path, { method, headers: { origin: FOREIGN, ...headers }, body: method === "POST" ? "{}" : undefined });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.headers.get("access-control-allow-origin"), null);
      assert.equal(res.headers.get("access-control-allow-methods"), null);
      assert.deepEqual(await res.json(), forbidden);
    }
    // "null" (sandboxed frames, file://) and a look-alike are foreign too.
    for (const origin of ["null", `${ALLOWED}.evil.example`, ALLOWED.replace("http:", "https:"), `${ALLOWED}:80`]) {
      const res = await fetch(strict.url + "/api/rooms/public", { headers: { origin } });
      assert.equal(res.status, 403, origin);
    }
    assert.equal((await api(strict, "GET", "/api/rooms/public")).status, 200, "no Origin: not a cross-origin request");
  });

  test("REST from an allowed origin gets its CORS headers, simple and preflight", async () => {
    for (const origin of [ALLOWED, ALSO_ALLOWED]) {
      const simple = await fetch(strict.url + "/api/rooms/public", { headers: { origin } });
      assert.equal(simple.status, 200);
      assert.equal(simple.headers.get("access-control-allow-origin"), origin);
      assert.match(simple.headers.get("vary"), /origin/i);
      const preflight = await fetch(strict.url + "/api/rooms", {
        method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get("access-control-allow-origin"), origin);
      assert.match(preflight.headers.get("access-control-allow-methods"), /POST/);
      assert.match(preflight.headers.get("access-control-allow-headers"), /Content-Type/i);
    }
    const created = await fetch(strict.url + "/api/rooms", { method: "POST", headers: { origin: ALLOWED, "content-type": "application/json" }, body: "{}" });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get("access-control-allow-origin"), ALLOWED);
  });

  test("a Socket.IO handshake from a foreign origin is refused over polling and websocket; an allowed one connects", async () => {
    const forbidden = { success: false, error: { message: "Origin not allowed", code: "FORBIDDEN" } };
    const polling = await pollRequest(strict, { headers: { origin: FOREIGN } });
    assert.equal(polling.status, 403);
    assert.equal(polling.headers.get("access-control-allow-origin"), null);
    assert.deepEqual(JSON.parse(polling.text), forbidden);
    await assert.rejects(rawSocket(strict, { headers: { origin: FOREIGN } }), (e) => e.status === 403);
    // The real client, as a page on that origin would run it.
    for (const transport of ["polling", "websocket"]) {
      const s = track(io(strict.url, { transports: [transport], forceNew: true, reconnection: false, extraHeaders: { origin: FOREIGN } }));
      const outcome = await new Promise((ok) => {
        s.once("connect", () => ok("connected"));
        s.once("connect_error", () => ok("connect_error"));
      });
      assert.equal(outcome, "connect_error", transport);
    }
    // A sid obtained without an Origin does not let a foreign origin in either.
    const session = await pollingSession(strict);
    const posted = await pollRequest(strict, { sid: session.sid, method: "POST", body: '42["get_active_users"]', headers: { origin: FOREIGN } });
    assert.equal(posted.status, 403);
    // Allowed origins connect and get their CORS header.
    const allowed = await pollRequest(strict, { headers: { origin: ALLOWED } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get("access-control-allow-origin"), ALLOWED);
    const ws = track(await rawSocket(strict, { headers: { origin: ALSO_ALLOWED } }));
    assert.deepEqual(await ws.probe(), []);
    for (const transport of ["polling", "websocket"]) {
      const s = track(io(strict.url, { transports: [transport], forceNew: true, reconnection: false, extraHeaders: { origin: ALLOWED } }));
      await new Promise((ok, fail) => {
        s.once("connect", ok);
        s.once("connect_error", fail);
      });
      s.emit("set_username", { username: `cors-${transport}` });
      assert.deepEqual(await new Promise((ok) => s.once("username_set", ok)), { username: `cors-${transport}` });
    }
    await assertStrictServes();
  });

  // ---- 13. someone else's sid ---------------------------------------------------------------

  test("polling with the sid of an upgraded websocket session is refused and the victim is unaffected", async () => {
    const token = await createRoom(server);
    const sessionToken = await joinRest(server, token, "victim");
    const victim = track(io(server.url, { transports: ["polling", "websocket"], forceNew: true, reconnection: false }));
    victim.events = [];
    victim.onAny((event, ...args) => victim.events.push({ event, args }));
    await new Promise((ok) => victim.once("connect", ok));
    if (victim.io.engine.transport.name !== "websocket") await new Promise((ok) => victim.io.engine.once("upgrade", ok));
    victim.emit("join_room", { roomToken: token, sessionToken });
    await waitFor(victim, "room_joined");
    const sid = victim.io.engine.id;
    // Before: the POST was accepted and its events ran as the victim's.
    const injected = await pollRequest(server, { sid, method: "POST", body: '42["send_message",{"type":"TEXT","content":"injected"}]\x1e42["set_username",{"username":"injected"}]' });
    assert.equal(injected.status, 400);
    assert.deepEqual(JSON.parse(injected.text), BAD_REQUEST);
    const stolen = await pollRequest(server, { sid });
    assert.equal(stolen.status, 400);
    assert.deepEqual(JSON.parse(stolen.text), BAD_REQUEST);
    const disconnect = await pollRequest(server, { sid, query: "&disconnect=1" });
    assert.equal(disconnect.status, 400);
    await expectNone(victim, "new_message", 300);
    await expectNone(victim, "username_set", 0);
    assert.equal(victim.connected, true);
    assert.equal(victim.io.engine.transport.name, "websocket");
    const ack = await emitAck(victim, "send_message", { type: "TEXT", content: "mine" });
    assert.equal(ack.ok, true);
    const history = await api(server, "GET", `/api/messages/${token}`, undefined, { Authorization: `Bearer ${sessionToken}` });
    assert.deepEqual(history.json.data.map((m) => m.content), ["mine"]);
    await assertServes();
  });

  test("polling with an unknown or malformed sid gets 400 Session ID unknown, never a 500 or a hang", async () => {
    for (const sid of ["00000000-0000-0000-0000-000000000000", "garbage", "' OR 1=1 --", "\u00ff"]) {
      for (const method of ["GET", "POST"]) {
        // Before: an unknown sid got a bodiless 500; a malformed one was never answered.
        const res = await pollRequest(server, { sid, method, body: method === "POST" ? "40" : undefined });
        assert.equal(res.status, 400, `${method} ${sid}`);
        assert.deepEqual(JSON.parse(res.text), UNKNOWN_SESSION);
      }
    }
    const ws = await rawSocket(server, { query: "transport=websocket&sid=garbage", connect: false }).catch((e) => e);
    assert.equal(ws.status, 400);
    await assertServes();
  });

  // Last: everything above went through these two servers.
  test("after the whole catalogue the logs hold no stack trace, error, SQL, markup or token", async () => {
    for (const srv of [server, strict]) {
      const lines = srv.output().split("\n");
      const bad = lines.filter((l) => /^\s+at |Exception|ERROR|WARN|DROP TABLE|UNION SELECT|<script>|<svg|ghost-[a-z0-9]{8}|[A-Za-z0-9]{32}|garbage|injected/.test(l));
      assert.deepEqual(bad, [], srv.url);
    }
  });
});
