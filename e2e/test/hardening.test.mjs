// Hardening round 2 (issue 23): whole classes of hostile input the catalogue never tried. Each
// class has its own cases; every case checks the safe outcome AND that the others in the room are
// unaffected. HTTP/1.1 framing (class 1) is in http-framing.test.mjs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GENEROUS, startServer } from "../lib/server.mjs";
import {
  api, connect, createRoom, emitAck, eventually, expectNone, joinAll, joinRest, PNG, upload, waitFor,
} from "../lib/client.mjs";
import { checkResponse } from "../lib/openapi.mjs";
import { pollingSession, rawSocket, sleep } from "../lib/raw.mjs";

/** Limits lifted further: the slow-reader cases send megabytes on purpose. */
const FLOOD = { ...GENEROUS, RATE_LIMIT_MESSAGES_PER_MINUTE: "1000000", RATE_LIMIT_SOCKET_EVENTS_PER_MINUTE: "10000000",
  MAX_MESSAGE_LENGTH: "100000" };
const LOOKUP_LIMIT = 5;

let server;
const open = [];
before(async () => { server = await startServer(FLOOD); });
after(async () => {
  open.forEach((s) => (s.terminate ? s.terminate() : s.close()));
  await server?.stop();
});
const track = (s) => { open.push(s); return s; };

async function room(srv, transport, nicknames, body = {}) {
  const token = await createRoom(srv, body);
  const sockets = await joinAll(srv, transport, token, nicknames);
  open.push(...sockets);
  return { token, sockets };
}

const history = async (srv, token, sessionToken, query = "") =>
  api(srv, "GET", `/api/messages/${token}${query}`, undefined, { Authorization: `Bearer ${sessionToken}` });


// ---- 2. Text that is not valid Unicode ------------------------------------------------------

describe("text that is not valid Unicode", () => {
  for (const transport of ["websocket", "polling"]) {
    test(`an unpaired surrogate or NUL in a message is INVALID_MESSAGE, and polling members keep receiving (${transport})`, async () => {
      const { token, sockets: [a, ws, poll] } = await room(server, transport, ["alice", "bob", "carol"]);
      const [pollMember] = await joinAll(server, "polling", token, ["dave"]);
      track(pollMember);
      for (const bad of ["lone \ud800 high", "lone \udfff low", "reversed \udc00\ud800", "nul \u0000 byte", "\ud83d"]) {
        const ack = await emitAck(a, "send_message", { type: "TEXT", content: bad });
        assert.deepEqual(ack.ok, false, JSON.stringify(bad));
        assert.equal(ack.error.code, "INVALID_MESSAGE");
        const sticker = await emitAck(a, "send_message", { type: "STICKER", content: bad });
        assert.equal(sticker.error.code, "INVALID_MESSAGE");
      }
      // What a member on any transport receives, and history, is exactly what the ack returned.
      const text = "after: emoji \u{1F600}, math \u{1D400}, CJK \u4E2D, combining e\u0301, controls \u0007\t";
      const ok = await emitAck(a, "send_message", { type: "TEXT", content: text });
      assert.equal(ok.message.content, text);
      for (const s of [ws, poll, pollMember]) {
        assert.equal((await waitFor(s, "new_message", (m) => m.id === ok.message.id)).content, text);
      }
      assert.deepEqual((await history(server, token, ws.sessionToken)).json.data.map((m) => m.content), [text]);
    });
  }

  test("an unpaired surrogate or NUL sent raw over polling and websocket is refused the same way", async () => {
    const token = await createRoom(server);
    const sessions = [await joinRest(server, token, "raw-ws"), await joinRest(server, token, "raw-poll")];
    const [watcher] = await joinAll(server, "polling", token, ["watcher"]);
    track(watcher);
    const ws = track(await rawSocket(server));
    ws.send(`42["join_room",{"roomToken":"${token}","sessionToken":"${sessions[0]}"}]`);
    await ws.next((f) => f.startsWith('42["room_joined"'));
    const poll = await pollingSession(server);
    await poll.post(`42["join_room",{"roomToken":"${token}","sessionToken":"${sessions[1]}"}]`);
    await poll.next((p) => p.startsWith('42["room_joined"'));
    for (const escape of ["\\ud800", "\\udc00x", "\\u0000"]) {
      ws.send(`421["send_message",{"type":"TEXT","content":"a${escape}b"}]`);
      assert.match(await ws.next((f) => f.startsWith("431")), /INVALID_MESSAGE/);
      await poll.post(`422["send_message",{"type":"TEXT","content":"a${escape}b"}]`);
      assert.match(await poll.next((p) => p.startsWith("432")), /INVALID_MESSAGE/);
    }
    ws.send('423["send_message",{"type":"TEXT","content":"fine"}]');
    await ws.next((f) => f.startsWith("433"));
    assert.equal((await waitFor(watcher, "new_message")).content, "fine");
    await expectNone(watcher, "new_message", 300);
  });

  test("nicknames, room names and usernames with an unpaired surrogate or NUL get their field's code", async () => {
    const token = await createRoom(server);
    for (const bad of ["ab\ud800", "a\u0000b", "\udc00\udc00"]) {
      const join = await api(server, "POST", `/api/rooms/${token}/join`, { nickname: bad });
      assert.equal(join.status, 400);
      assert.equal(join.json.error.code, "INVALID_NICKNAME");
      const made = await api(server, "POST", "/api/rooms", { name: `room ${bad}`, isPublic: true });
      assert.equal(made.status, 400);
      assert.equal(made.json.error.code, "INVALID_ROOM");
      const s = track(await connect(server, "websocket"));
      s.emit("set_username", { username: bad });
      assert.equal((await waitFor(s, "error")).code, "INVALID_USERNAME");
    }
    // Raw bytes: invalid UTF-8 in the JSON body is refused the same way.
    const res = await fetch(`${server.url}/api/rooms`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, "INVALID_ROOM");
  });

  test("nicknames outside the BMP, or whose case fold is longer than themselves, join (never a 500)", async () => {
    const token = await createRoom(server);
    const names = ["\u{1D400}".repeat(20), "\u{10400}\u{10401}", "\u0130".repeat(20), "\u0390".repeat(20), "ß".repeat(20)];
    for (const nickname of names) {
      const res = await api(server, "POST", `/api/rooms/${token}/join`, { nickname });
      assert.equal(res.status, 201, `${nickname}: ${res.text}`);
      assert.equal(res.json.data.nickname, nickname);
    }
    // 21 code points is too long whatever their UTF-16 length.
    const long = await api(server, "POST", `/api/rooms/${token}/join`, { nickname: "\u{1D400}".repeat(21) });
    assert.equal(long.json.error.code, "INVALID_NICKNAME");
    // The fold holds across scripts: the upper-case form of a member's name is the same name.
    const dup = await api(server, "POST", `/api/rooms/${token}/join`, { nickname: "\u{10428}\u{10429}" });
    assert.equal(dup.status, 409);
  });

  test("messages are measured in code points: 2,000 emoji fit, 2,001 do not", async () => {
    const { sockets: [a] } = await room(server, "websocket", ["counter"]);
    const at = await startServerWithLength(2000);
    try {
      const token = await createRoom(at);
      const [s] = await joinAll(at, "websocket", token, ["emoji"]);
      track(s);
      assert.equal((await emitAck(s, "send_message", { type: "TEXT", content: "\u{1F600}".repeat(2000) })).ok, true);
      const over = await emitAck(s, "send_message", { type: "TEXT", content: "\u{1F600}".repeat(2001) });
      assert.equal(over.error.code, "MESSAGE_TOO_LONG");
    } finally {
      await at.stop();
    }
    assert.equal((await emitAck(a, "send_message", { type: "TEXT", content: "ok" })).ok, true);
  });
});

/** A multipart upload whose file name is sent byte for byte. */
async function uploadRawName(srv, nameBytes, bytes, type) {
  const boundary = "----hardening" + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="`), nameBytes,
    Buffer.from(`"\r\nContent-Type: ${type}\r\n\r\n`), bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await fetch(srv.url + "/api/files/upload", {
    method: "POST", body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  });
  const text = await res.text();
  await checkResponse(srv, "POST", "/api/files/upload", res.status, res.headers.get("content-type"), text);
  return { status: res.status, json: JSON.parse(text) };
}

describe("file display names", () => {
  test("are cleaned, never refused, and read the same in the upload answer, the message and history", async () => {
    const { token, sockets: [a, b] } = await room(server, "polling", ["namer", "viewer"]);
    const cases = [
      // invalid UTF-8 (a surrogate's bytes), a C0 control, a bidi override that would show "gpj.exe" as "exe.jpg"
      [Buffer.concat([Buffer.from("bad"), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(".png")]), /^bad\uFFFD+\.png$/],
      [Buffer.from("ctl\u0001name.png"), /^ctl\uFFFDname\.png$/],
      [Buffer.from("photo\u202Egnp.exe.png"), /^photo\uFFFDgnp\.exe\.png$/],
      [Buffer.from("\u{1F600}".repeat(300) + ".png"), new RegExp(`^(\u{1F600}){251}\\.png$`, "u")],
    ];
    for (const [name, shown] of cases) {
      const up = await uploadRawName(server, name, PNG, "image/png");
      assert.equal(up.status, 201, JSON.stringify(up.json));
      const fileName = up.json.attachment.fileName;
      assert.match(fileName, shown);
      assert.ok([...fileName].length <= 255);
      const sent = await emitAck(a, "send_message", { type: "IMAGE", attachments: [up.json.attachment] });
      assert.equal(sent.message.attachments[0].fileName, fileName);
      assert.equal((await waitFor(b, "new_message", (m) => m.id === sent.message.id)).attachments[0].fileName, fileName);
      const stored = (await history(server, token, b.sessionToken, "?limit=100")).json.data.find((m) => m.id === sent.message.id);
      assert.equal(stored.attachments[0].fileName, fileName);
    }
  });
});

const startServerWithLength = (n) => startServer({ ...GENEROUS, MAX_MESSAGE_LENGTH: String(n) });

// ---- 3. Slow readers -----------------------------------------------------------------------

describe("a client that stops reading", () => {
  test("a websocket that stops reading is closed; the others get every message", async () => {
    const { token, sockets: [sender, reader] } = await room(server, "websocket", ["sender", "reader"]);
    const stalled = track(await rawSocket(server));
    stalled.send(`42["join_room",{"roomToken":"${token}","sessionToken":"${await joinRest(server, token, "stalled")}"}]`);
    await stalled.next((f) => f.startsWith('42["room_joined"'));
    stalled._socket.pause();
    const received = new Set();
    reader.on("new_message", (m) => received.add(m.id));
    const big = "x".repeat(90_000);
    const sent = [];
    let left = null;
    sender.on("user_left", (p) => { if (p.nickname === "stalled") left = p; });
    // Far more than the kernel's socket buffers and the server's 1 MB bound can hold (bounded loop).
    for (let i = 0; i < 600 && !left; i++) {
      const ack = await emitAck(sender, "send_message", { type: "TEXT", content: `${i}:${big}` });
      assert.equal(ack.ok, true);
      sent.push(ack.message.id);
      if (i % 20 === 19) await eventually(() => received.has(ack.message.id), 10_000, "the reader keeps up");
    }
    await eventually(() => left, 30_000, "the stalled member is reported as left");
    assert.ok(!left.participants.includes("stalled"));
    await eventually(() => sent.every((id) => received.has(id)), 10_000, "the reader got every message");
  });

  test("a long-polling client that stops polling is disconnected once its backlog is full", async () => {
    const { token, sockets: [sender, reader] } = await room(server, "websocket", ["psender", "preader"]);
    const poll = await pollingSession(server);
    await poll.post(`42["join_room",{"roomToken":"${token}","sessionToken":"${await joinRest(server, token, "napping")}"}]`);
    await poll.next((p) => p.startsWith('42["room_joined"'));
    // It never polls again. 1,000 packets is its bound.
    let last;
    for (let i = 0; i < 1100; i++) {
      sender.emit("send_message", { type: "TEXT", content: `m${i}` });
      if (i % 100 === 99) last = await waitFor(reader, "new_message", (m) => m.content === `m${i}`, 10_000);
    }
    assert.ok(last);
    await waitFor(sender, "user_left", (p) => p.nickname === "napping", 15_000);
    const after = await poll.poll();
    assert.ok(after.status === 400 || after.text.includes("1"), `the session is gone: ${after.status} ${after.text.slice(0, 80)}`);
    assert.equal((await emitAck(sender, "send_message", { type: "TEXT", content: "on" })).ok, true);
  });

  test("a websocket that reads slowly but keeps up is not closed", async () => {
    const { token, sockets: [sender] } = await room(server, "websocket", ["steady"]);
    const slow = track(await rawSocket(server));
    slow.send(`42["join_room",{"roomToken":"${token}","sessionToken":"${await joinRest(server, token, "slowpoke")}"}]`);
    await slow.next((f) => f.startsWith('42["room_joined"'));
    for (let i = 0; i < 30; i++) {
      slow._socket.pause();
      await emitAck(sender, "send_message", { type: "TEXT", content: `${i}:${"y".repeat(20_000)}` });
      await sleep(20);
      slow._socket.resume();
    }
    await slow.next((f) => f.includes('"29:yyyy'), 10_000);
    assert.equal(slow.readyState, slow.OPEN);
  });
});

// ---- 4. Token guessing over Socket.IO -----------------------------------------------------

describe("token guessing over Socket.IO", () => {
  let strict;
  before(async () => { strict = await startServer({ ...GENEROUS, RATE_LIMIT_LOOKUPS_PER_MINUTE: String(LOOKUP_LIMIT) }); });
  after(async () => { await strict?.stop(); });

  test("a real room with a wrong session answers exactly like a guessed room", async () => {
    const token = await createRoom(server);
    const s = track(await connect(server, "polling"));
    const answers = [];
    for (const roomToken of [token, "ghost-aaaaaaaa", "ghost-dm-abcdef", "not-a-token"]) {
      for (const sessionToken of ["B".repeat(32), "short", undefined]) {
        s.emit("join_room", { roomToken, sessionToken });
        const e = await waitFor(s, "error");
        answers.push(JSON.stringify(e));
      }
    }
    assert.deepEqual(new Set(answers), new Set([JSON.stringify({ message: "Invalid session", code: "INVALID_SESSION" })]));
  });

  test("failed join_room attempts spend the per-IP lookup budget, and then REST lookups are refused too", async () => {
    const s = track(await connect(strict, "websocket"));
    for (let i = 0; i < LOOKUP_LIMIT; i++) {
      s.emit("join_room", { roomToken: `ghost-${String(i).padStart(8, "0")}`, sessionToken: "C".repeat(32) });
      assert.equal((await waitFor(s, "error")).code, "INVALID_SESSION");
    }
    s.emit("join_room", { roomToken: "ghost-zzzzzzzz", sessionToken: "C".repeat(32) });
    assert.equal((await waitFor(s, "error")).code, "RATE_LIMIT_EXCEEDED");
    const rest = await api(strict, "GET", "/api/rooms/ghost-zzzzzzzz");
    assert.equal(rest.status, 429);
    assert.ok(rest.json.error.retryAfter >= 1);
  });

  test("a spent budget refuses join_room from another socket of the same IP, even with a valid session", async () => {
    // REST lookups spend the same budget: the strict server's is spent by the test before.
    const s = track(await connect(strict, "polling"));
    s.emit("join_room", { roomToken: "ghost-yyyyyyyy", sessionToken: "D".repeat(32) });
    assert.equal((await waitFor(s, "error")).code, "RATE_LIMIT_EXCEEDED");
    const ack = await emitAck(s, "join_room", { roomToken: "ghost-xxxxxxxx", sessionToken: "E".repeat(32) });
    assert.equal(ack.error.code, "RATE_LIMIT_EXCEEDED");
  });
});

// ---- 5. History paging --------------------------------------------------------------------

describe("history paging", () => {
  test("paging back from the oldest message of each page reaches every message exactly once, however many share a millisecond", async () => {
    const { token, sockets } = await room(server, "websocket", ["p1", "p2", "p3", "p4"]);
    // Forty sends in flight at once: the writer commits them in one or two batches.
    const acks = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      emitAck(sockets[i % 4], "send_message", { type: "TEXT", content: `burst ${i}` })));
    assert.ok(acks.every((a) => a.ok));
    const newest = await history(server, token, sockets[0].sessionToken, "?limit=100");
    assert.equal(newest.json.data.length, 40);
    const seen = [];
    let before = null;
    for (let page = 0; page < 20; page++) {
      const res = await history(server, token, sockets[0].sessionToken,
        `?limit=7${before ? `&before=${encodeURIComponent(before)}` : ""}`);
      assert.equal(res.status, 200);
      if (res.json.data.length === 0) break;
      seen.unshift(...res.json.data.map((m) => m.id));
      before = res.json.data[0].createdAt;
    }
    assert.deepEqual(seen, newest.json.data.map((m) => m.id));
    assert.equal(new Set(seen).size, 40);
  });

  test("a before in the future gives the newest page; an unparseable one is 400 INVALID_REQUEST", async () => {
    const { token, sockets: [a] } = await room(server, "websocket", ["future"]);
    const sent = (await emitAck(a, "send_message", { type: "TEXT", content: "now" })).message;
    for (const before of ["2999-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "2100-01-01T00:00:00Z"]) {
      const res = await history(server, token, a.sessionToken, `?before=${encodeURIComponent(before)}`);
      assert.equal(res.status, 200, `${before}: ${res.text}`);
      assert.deepEqual(res.json.data.map((m) => m.id), [sent.id], before);
    }
    for (const before of ["yesterday", "2026-13-01T00:00:00Z", "'; DROP TABLE messages; --"]) {
      const res = await history(server, token, a.sessionToken, `?before=${encodeURIComponent(before)}`);
      assert.equal(res.status, 400, before);
      assert.equal(res.json.error.code, "INVALID_REQUEST");
    }
  });

  test("a before equal to a message's createdAt excludes exactly that message and the later ones", async () => {
    const { token, sockets: [a] } = await room(server, "websocket", ["edge"]);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await emitAck(a, "send_message", { type: "TEXT", content: `e${i}` })).message);
    const res = await history(server, token, a.sessionToken, `?before=${encodeURIComponent(ids[3].createdAt)}`);
    assert.deepEqual(res.json.data.map((m) => m.id), ids.slice(0, 3).map((m) => m.id));
    const created = ids.map((m) => m.createdAt);
    assert.deepEqual([...created].sort(), created);
    assert.equal(new Set(created).size, created.length, "one room's messages never share a createdAt");
  });
});

// ---- 6. Sends around leaving ---------------------------------------------------------------

describe("sends that arrive just before the same socket leaves", () => {
  for (const transport of ["websocket", "polling"]) {
    for (const how of ["leave_room", "join_room of another room", "disconnect"]) {
      test(`are stored, broadcast and acknowledged before a ${how} (${transport})`, async () => {
        const { token, sockets: [watcher] } = await room(server, "websocket", ["watcher"]);
        const [leaver] = await joinAll(server, transport, token, ["leaver"]);
        track(leaver);
        const other = await createRoom(server);
        const otherSession = await joinRest(server, other, "leaver");
        const acks = [];
        for (let i = 0; i < 15; i++) {
          acks.push(how === "disconnect" ? null : emitAck(leaver, "send_message", { type: "TEXT", content: `last ${i}` }));
          if (how === "disconnect") leaver.emit("send_message", { type: "TEXT", content: `last ${i}` });
        }
        if (how === "leave_room") leaver.emit("leave_room");
        else if (how === "disconnect") leaver.disconnect();
        else leaver.emit("join_room", { roomToken: other, sessionToken: otherSession });
        if (how !== "disconnect") {
          for (const ack of await Promise.all(acks)) assert.equal(ack.ok, true, JSON.stringify(ack));
          // One sent after the leave is refused with a clear answer, never silently dropped.
          if (how === "leave_room") {
            const late = await emitAck(leaver, "send_message", { type: "TEXT", content: "too late" });
            assert.equal(late.error.code, "NOT_IN_ROOM");
          }
        }
        await waitFor(watcher, "user_left", (p) => p.nickname === "leaver", 10_000);
        const stored = (await history(server, token, watcher.sessionToken, "?limit=100")).json.data;
        assert.deepEqual(stored.map((m) => m.content), Array.from({ length: 15 }, (_, i) => `last ${i}`));
        for (let i = 0; i < 15; i++) await waitFor(watcher, "new_message", (m) => m.content === `last ${i}`);
      });
    }
  }
});

// ---- 7. clientId retried after a reconnect ------------------------------------------------

describe("a clientId retried after a reconnect", () => {
  test("is stored once: the retry on a new session under the same nickname gets the original message", async () => {
    const token = await createRoom(server);
    const [watcher, first] = await joinAll(server, "websocket", token, ["watch7", "retrier"]);
    track(watcher);
    const original = (await emitAck(first, "send_message", { type: "TEXT", content: "once", clientId: "k-1" })).message;
    first.close();
    await waitFor(watcher, "user_left", (p) => p.nickname === "retrier");
    const [again] = await joinAll(server, "polling", token, ["retrier"]);
    track(again);
    const retry = await emitAck(again, "send_message", { type: "TEXT", content: "once", clientId: "k-1" });
    assert.deepEqual(retry, { ok: true, message: original });
    const stored = (await history(server, token, watcher.sessionToken)).json.data;
    assert.deepEqual(stored.map((m) => m.id), [original.id]);
  });

  test("another nickname with the same clientId is another message", async () => {
    const { token, sockets: [a, b] } = await room(server, "websocket", ["ann", "ben"]);
    const one = await emitAck(a, "send_message", { type: "TEXT", content: "hi", clientId: "same" });
    const two = await emitAck(b, "send_message", { type: "TEXT", content: "hi", clientId: "same" });
    assert.notEqual(one.message.id, two.message.id);
    assert.equal((await history(server, token, a.sessionToken)).json.data.length, 2);
  });

  test("the same nickname and clientId in another room is another message", async () => {
    const { sockets: [a] } = await room(server, "websocket", ["roamer"]);
    const { sockets: [b] } = await room(server, "polling", ["roamer"]);
    const one = await emitAck(a, "send_message", { type: "TEXT", content: "x", clientId: "r1" });
    const two = await emitAck(b, "send_message", { type: "TEXT", content: "x", clientId: "r1" });
    assert.notEqual(one.message.id, two.message.id);
  });
});

// ---- 8. JSON with trailing content -----------------------------------------------------------

describe("JSON bodies with trailing content", () => {
  const post = (path, body) => fetch(`${server.url}${path}`, {
    method: "POST", headers: { "content-type": "application/json" }, body,
  }).then(async (r) => {
    const text = await r.text();
    await checkResponse(server, "POST", path, r.status, r.headers.get("content-type"), text);
    return { status: r.status, json: JSON.parse(text) };
  });

  test("are refused with the endpoint's own code, like any unparseable body", async () => {
    const token = await createRoom(server);
    for (const [path, code] of [["/api/rooms", "INVALID_ROOM"], [`/api/rooms/${token}/join`, "INVALID_NICKNAME"]]) {
      for (const body of ['{"ttlHours":1,"nickname":"tom"} garbage', '{"nickname":"tom"}{"nickname":"tim"}',
        '{"nickname":"tom"} []', '{"nickname":"tom"} 1', '{"nickname":"tom"},']) {
        const res = await post(path, body);
        assert.equal(res.status, 400, `${path} ${body}`);
        assert.equal(res.json.error.code, code);
      }
    }
  });

  test("a body that is not an object is refused; trailing whitespace is fine", async () => {
    const token = await createRoom(server);
    for (const body of ["[]", '"tom"', "42", "null x"]) {
      assert.equal((await post(`/api/rooms/${token}/join`, body)).status, 400, body);
    }
    const ok = await post(`/api/rooms/${token}/join`, '{"nickname":"tom"}  \r\n\t ');
    assert.equal(ok.status, 201);
  });
});

// ---- 9. An ended room outlives its end -------------------------------------------------------

describe("a room at its end", () => {
  test("a room joined over REST only is gone, rows and all, within seconds of its expiry", async () => {
    const token = await createRoom(server, { ttlHours: 0.0005 }); // 1.8 s
    const session = await joinRest(server, token, "restonly");
    await eventually(async () => (await api(server, "GET", `/api/rooms/${token}`)).status === 404, 30_000,
      "the room answers 404 (its row is deleted), not 410");
    assert.equal((await history(server, token, session)).status, 401, "its sessions are gone too");
  });

  test("a room's stored files are deleted at its end even if no socket was ever in it", async () => {
    const token = await createRoom(server, { ttlHours: 0.001 }); // 3.6 s
    const [s] = await joinAll(server, "websocket", token, ["filer"]);
    const up = await upload(server, "pic.png", PNG, "image/png");
    assert.equal((await emitAck(s, "send_message", { type: "IMAGE", attachments: [up.json.attachment] })).ok, true);
    s.close();
    const file = up.json.attachment.url.replace(/^http:\/\/localhost:\d+/, server.url);
    const stored = join(server.uploadDir, file.split("/").pop());
    assert.ok(existsSync(stored));
    await eventually(async () => (await fetch(file)).status === 404 && !existsSync(stored), 30_000,
      "the file is neither served nor stored");
  });

  test("after a restart, a room that ends is deleted with its files within 60 s", async () => {
    const uploadDir = mkdtempSync(join(tmpdir(), "gr-restart-"));
    const env = { ...GENEROUS, UPLOAD_DIR: uploadDir };
    // A database of its own: another server on the same one (this file's) would end the room too,
    // and delete the file from its own store, not this one (nodes sharing a database share a store).
    if (process.env.E2E_DATABASE_URL) {
      env.DATABASE_URL = process.env.E2E_DATABASE_URL.replace(/currentSchema=([^&]+)/, "currentSchema=$1_restart");
    }
    let first = await startServer(env);
    let second;
    try {
      const token = await createRoom(first, { ttlHours: 0.003 }); // 10.8 s
      const [s] = await joinAll(first, "websocket", token, ["before"]);
      const up = await upload(first, "doc.pdf", Buffer.from("%PDF-1.4\n%%EOF\n"), "application/pdf");
      assert.equal((await emitAck(s, "send_message", { type: "FILE", attachments: [up.json.attachment] })).ok, true);
      s.close();
      assert.equal(readdirSync(uploadDir).length, 1);
      await first.stop();
      first = null;
      second = await startServer(env);
      await eventually(async () => readdirSync(uploadDir).length === 0
        && (await api(second, "GET", `/api/rooms/${token}`)).status === 404, 60_000, "room and file gone after the restart");
    } finally {
      await first?.stop();
      await second?.stop();
      if (existsSync(uploadDir)) rmSync(uploadDir, { recursive: true, force: true });
    }
  });
});
