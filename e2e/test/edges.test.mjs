// Edges of the contract that chat.test.mjs does not pin down: the transport each configuration
// really ends up on, room switching and leaving as seen by later messages, ended sessions after a
// disconnect, global broadcasts, forged attachments that look like ours, and hostile payloads on
// every event. Same real socket.io-client, same three transport configurations.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GENEROUS, startServer } from "../lib/server.mjs";
import {
  api, connect, createRoom, emitAck, expectNone, joinAll, joinRest, PNG, upload, waitFor,
} from "../lib/client.mjs";


let server;
const open = [];
before(async () => { server = await startServer(GENEROUS); });
after(async () => {
  open.forEach((s) => s.close());
  await server?.stop();
});

async function room(transport, nicknames, body = {}) {
  const token = await createRoom(server, body);
  const sockets = await joinAll(server, transport, token, nicknames);
  open.push(...sockets);
  return { token, sockets };
}

async function socketOf(transport) {
  const s = await connect(server, transport);
  open.push(s);
  return s;
}

async function expectError(socket, code, emit) {
  emit();
  const error = await waitFor(socket, "error", (e) => e.code === code);
  assert.equal(typeof error.message, "string");
  assert.doesNotMatch(error.message, /Exception|\bat [a-z]+\.|SQL|ghost-[a-z0-9]{8}/,
    "error messages carry no stack traces, SQL or tokens");
  return error;
}

/** Waits until the engine has finished upgrading (or times out with the transport it is stuck on). */
async function transportAfterUpgrade(socket, timeoutMs = 5000) {
  const engine = socket.io.engine;
  if (engine.transport.name === "websocket") return "websocket";
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no upgrade within ${timeoutMs} ms; still on ${engine.transport.name}`)), timeoutMs);
    engine.once("upgrade", () => { clearTimeout(timer); ok(); });
  });
  return engine.transport.name;
}

for (const transport of ["websocket", "polling", "upgrade"]) {
  describe(`edges over ${transport}`, () => {
    test("the configured transport is the one in use, and chat works on it", async () => {
      const { sockets: [a, b] } = await room(transport, ["alice", "bob"]);
      if (transport === "websocket") {
        assert.equal(a.io.engine.transport.name, "websocket");
      } else if (transport === "polling") {
        // Give an upgrade every chance to (wrongly) happen before checking.
        const msg = (await emitAck(a, "send_message", { type: "TEXT", content: "over xhr" })).message;
        await waitFor(b, "new_message", (m) => m.id === msg.id);
        assert.equal(a.io.engine.transport.name, "polling");
        assert.equal(b.io.engine.transport.name, "polling");
      } else {
        assert.equal(await transportAfterUpgrade(a), "websocket");
        assert.equal(await transportAfterUpgrade(b), "websocket");
      }
      const ack = await emitAck(b, "send_message", { type: "TEXT", content: `after ${transport}` });
      assert.equal(ack.ok, true);
      const seen = await waitFor(a, "new_message", (m) => m.id === ack.message.id);
      assert.equal(seen.content, `after ${transport}`);
    });

    test("after switching rooms a socket only hears its new room", async () => {
      const { token: first, sockets: [a, b] } = await room(transport, ["alice", "bob"]);
      const second = await createRoom(server);
      const [c] = await joinAll(server, transport, second, ["carol"]);
      open.push(c);
      const session2 = await joinRest(server, second, "bob2");
      b.emit("join_room", { roomToken: second, sessionToken: session2 });
      await waitFor(b, "room_joined", (r) => r.roomToken === second);
      const left = await waitFor(a, "user_left", (p) => p.nickname === "bob");
      assert.deepEqual(left, { nickname: "bob", participantCount: 1, participants: ["alice"] });
      const joined = await waitFor(c, "user_joined", (p) => p.nickname === "bob2");
      assert.deepEqual(joined.participants.slice().sort(), ["bob2", "carol"]);
      // The old session ended like a leave_room: it cannot be used again.
      const probe = await socketOf(transport);
      await expectError(probe, "INVALID_SESSION", () => probe.emit("join_room", { roomToken: first, sessionToken: b.sessionToken }));
      // Room one's traffic no longer reaches b; room two's does, and is not seen by a.
      const inFirst = (await emitAck(a, "send_message", { type: "TEXT", content: "first room" })).message;
      await waitFor(a, "new_message", (m) => m.id === inFirst.id);
      const inSecond = (await emitAck(c, "send_message", { type: "TEXT", content: "second room" })).message;
      await waitFor(b, "new_message", (m) => m.id === inSecond.id);
      await expectNone(b, "new_message", 300);
      assert.ok(!a.events.some((e) => e.event === "new_message" && e.args[0].id === inSecond.id));
      assert.equal(inFirst.nickname, "alice");
      // b's messages now carry its new nickname and land in room two only.
      const fromB = (await emitAck(b, "send_message", { type: "TEXT", content: "hi carol" })).message;
      assert.equal(fromB.nickname, "bob2");
      await waitFor(c, "new_message", (m) => m.id === fromB.id);
      await expectNone(a, "new_message", 300);
      await waitFor(b, "new_message", (m) => m.id === fromB.id);
    });

    test("after leave_room the socket is out: NOT_IN_ROOM, and the room goes on without it", async () => {
      const { sockets: [a, b] } = await room(transport, ["alice", "bob"]);
      b.emit("leave_room");
      await waitFor(b, "room_left");
      await expectError(b, "NOT_IN_ROOM", () => b.emit("send_message", { type: "TEXT", content: "ghost" }));
      // It left by itself: its heartbeat (the lobby sends them too) gets no error.
      b.emit("heartbeat");
      await expectNone(b, "error", 300);
      const msg = (await emitAck(a, "send_message", { type: "TEXT", content: "alone now" })).message;
      await waitFor(a, "new_message", (m) => m.id === msg.id);
      await expectNone(b, "new_message", 300);
    });

    test("a disconnect ends the session and sends no room_left; a new socket can join with a new session", async () => {
      const { token, sockets: [a, b] } = await room(transport, ["alice", "bob"]);
      await waitFor(a, "user_joined", (p) => p.nickname === "bob");
      b.close();
      await waitFor(a, "user_left", (p) => p.nickname === "bob");
      assert.ok(!b.events.some((e) => e.event === "room_left"));
      const again = await socketOf(transport);
      await expectError(again, "INVALID_SESSION", () => again.emit("join_room", { roomToken: token, sessionToken: b.sessionToken }));
      // The nickname is free again once the session ended.
      const fresh = await joinRest(server, token, "bob");
      again.emit("join_room", { roomToken: token, sessionToken: fresh });
      const joined = await waitFor(again, "room_joined");
      assert.deepEqual(joined.participants.slice().sort(), ["alice", "bob"]);
      assert.equal(joined.participantCount, 2);
      const back = await waitFor(a, "user_joined", (p) => p.nickname === "bob");
      assert.equal(back.participantCount, 2);
    });

    test("history: room_joined and REST carry the same messages, oldest first, with attachments", async () => {
      const { token, sockets: [a] } = await room(transport, ["alice"]);
      const png = await upload(server, "dot.png", PNG, "image/png");
      const sent = [];
      sent.push((await emitAck(a, "send_message", { type: "TEXT", content: "one" })).message);
      sent.push((await emitAck(a, "send_message", { type: "IMAGE", content: "two", attachments: [png.json.attachment] })).message);
      sent.push((await emitAck(a, "send_message", { type: "STICKER", content: "three" })).message);
      const [late] = await joinAll(server, transport, token, ["zed"]);
      open.push(late);
      assert.deepEqual(late.joined.messages, sent);
      assert.deepEqual(late.joined.messages[1].attachments, [png.json.attachment]);
      const rest = await api(server, "GET", `/api/messages/${token}`, undefined, { Authorization: `Bearer ${late.sessionToken}` });
      assert.equal(rest.status, 200);
      assert.deepEqual(rest.json.data, sent);
      const paged = await api(server, "GET", `/api/messages/${token}?limit=1&before=${encodeURIComponent(sent[2].createdAt)}`,
        undefined, { Authorization: `Bearer ${late.sessionToken}` });
      assert.equal(paged.status, 200);
      assert.equal(paged.json.data.length, 1);
      assert.ok([sent[0].id, sent[1].id].includes(paged.json.data[0].id), JSON.stringify(paged.json.data));
      const stranger = await api(server, "GET", `/api/messages/${token}`, undefined, { Authorization: "Bearer " + "B".repeat(32) });
      assert.equal(stranger.status, 401);
    });

    test("attachments that look like ours but were never uploaded are INVALID_ATTACHMENT", async () => {
      const { sockets: [a, b] } = await room(transport, ["alice", "bob"]);
      const png = await upload(server, "dot.png", PNG, "image/png");
      const real = png.json.attachment;
      const base = real.url.slice(0, real.url.lastIndexOf("/") + 1);
      const unknownId = { ...real, id: real.id + "x" };
      const unknownFile = { ...real, url: base + "0000000000000000.png" };
      const traversal = { ...real, url: base + "../../etc/passwd" };
      for (const forged of [unknownId, unknownFile, traversal]) {
        const r = await emitAck(a, "send_message", { type: "IMAGE", attachments: [forged] });
        assert.equal(r.ok, false, JSON.stringify(forged));
        assert.equal(r.error.code, "INVALID_ATTACHMENT", JSON.stringify(forged));
      }
      await expectError(a, "INVALID_ATTACHMENT", () => a.emit("send_message", { type: "FILE", attachments: [unknownId] }));
      // None of the refused sends reached the room, and the real upload is still claimable once.
      await expectNone(b, "new_message", 200);
      const ok = await emitAck(a, "send_message", { type: "IMAGE", attachments: [real] });
      assert.equal(ok.ok, true);
      await waitFor(b, "new_message", (m) => m.id === ok.message.id);
    });

    test("hostile payloads on every event get an error code and the socket stays usable", async () => {
      const { sockets: [a, b] } = await room(transport, ["alice", "bob"]);
      // Huge but inside the transport's packet limit (MAX_HTTP_BODY_KB, 128 KB): validated, not dropped.
      const huge = "y".repeat(100_000);
      const junk = [huge, 7, -1.5, true, [], ["a", { b: 1 }], null, { "__proto__": { polluted: 1 } }, { a: { b: { c: { d: [1, [2, [3]]] } } } }];
      for (const event of ["send_message", "delete_message", "set_username", "join_room"]) {
        for (const payload of junk) {
          a.emit(event, payload);
          const error = await waitFor(a, "error", () => true, 5000).catch((e) => {
            throw new Error(`${event} ${JSON.stringify(payload).slice(0, 40)}: ${e.message}`);
          });
          assert.match(error.code, /^[A-Z_]+$/, `${event} ${JSON.stringify(payload).slice(0, 40)}`);
          assert.equal(typeof error.message, "string");
          assert.ok(error.message.length < 500);
        }
      }
      // Junk fields of the right container type.
      for (const payload of [
        { type: "TEXT", content: ["array"] },
        { type: "IMAGE", attachments: "not a list" },
        { type: "IMAGE", attachments: [null] },
        { type: "IMAGE", attachments: [{ id: 1, url: {} }] },
        { type: "IMAGE", attachments: Array.from({ length: 11 }, () => ({ id: "x", url: "y", fileName: "z", mimeType: "image/png", fileSize: 1 })) },
        { type: "TEXT", content: "ok", clientId: { nested: true } },
        { type: "text", content: "lower-case type" },
      ]) {
        const r = await emitAck(a, "send_message", payload);
        assert.equal(r.ok, false, JSON.stringify(payload));
        assert.match(r.error.code, /^[A-Z_]+$/);
      }
      await expectNone(b, "new_message", 200);
      // Still in the room, still able to chat, and nothing was stored from the junk.
      const ok = await emitAck(a, "send_message", { type: "TEXT", content: "survived" });
      assert.equal(ok.ok, true);
      const got = await waitFor(b, "new_message", (m) => m.id === ok.message.id);
      assert.equal(got.content, "survived");
      const history = await api(server, "GET", `/api/messages/${a.joined.roomToken}`, undefined, { Authorization: `Bearer ${b.sessionToken}` });
      assert.deepEqual(history.json.data.map((m) => m.content), ["survived"]);
    });

    test("a packet over the transport limit ends only that connection; the room and server go on", async () => {
      const { token, sockets: [a, b] } = await room(transport, ["alice", "bob"]);
      const closed = new Promise((ok) => a.once("disconnect", ok));
      // Incompressible, so permessage-deflate cannot shrink it under the frame limit.
      const { randomBytes } = await import("node:crypto");
      a.emit("send_message", { type: "TEXT", content: randomBytes(300_000).toString("base64") });
      const reason = await Promise.race([closed, new Promise((r) => setTimeout(() => r("still connected"), 5000))]);
      assert.match(String(reason), /transport (close|error)/);
      await waitFor(b, "user_left", (p) => p.nickname === "alice");
      const ok = await emitAck(b, "send_message", { type: "TEXT", content: "still fine" });
      assert.equal(ok.ok, true);
      assert.equal((await api(server, "GET", "/health")).status, 200);
      const [c] = await joinAll(server, transport, token, ["carol"]);
      open.push(c);
      assert.deepEqual(c.joined.messages.map((m) => m.content), ["still fine"]);
    });

    test("joins and leaves of a public room are broadcast to everyone as public_rooms_update", async () => {
      const token = await createRoom(server, { isPublic: true, name: "Lobby" });
      const watcher = await socketOf(transport);
      const count = (p) => p.rooms.find((r) => r.token === token)?.participantCount;
      const [a] = await joinAll(server, transport, token, ["alice"]);
      open.push(a);
      await waitFor(watcher, "public_rooms_update", (p) => count(p) === 1, 10_000);
      const [b] = await joinAll(server, transport, token, ["bob"]);
      open.push(b);
      await waitFor(watcher, "public_rooms_update", (p) => count(p) === 2, 10_000);
      b.emit("leave_room");
      await waitFor(watcher, "public_rooms_update", (p) => count(p) === 1, 10_000);
      const rest = await api(server, "GET", `/api/rooms/${token}`);
      assert.equal(rest.json.data.participantCount, 1);
      assert.equal(rest.json.data.isPublic, true);
    });

    test("a username is released for others when its socket disconnects", async () => {
      const a = await socketOf(transport);
      const b = await socketOf(transport);
      const name = "Gone" + Math.floor(Math.random() * 1e6);
      a.emit("set_username", { username: name });
      await waitFor(a, "username_set");
      await waitFor(b, "active_users", (p) => p.users.includes(name), 10_000);
      a.close();
      await waitFor(b, "active_users", (p) => !p.users.includes(name), 10_000);
      b.emit("set_username", { username: name.toUpperCase() });
      assert.deepEqual(await waitFor(b, "username_set"), { username: name.toUpperCase() });
    });

    test("every member of a short-TTL room is warned; after it closes heartbeat and join fail", async () => {
      const { token, sockets: [a, b] } = await room(transport, ["alice", "bob"], { ttlHours: 0.0015 });
      for (const s of [a, b]) {
        const w = await waitFor(s, "room_ttl_warning");
        assert.ok(Number.isFinite(w.expiresIn) && w.expiresIn > 0 && w.expiresIn <= 6, JSON.stringify(w));
      }
      await Promise.all([a, b].map((s) => waitFor(s, "room_closed", (p) => p.reason === "expired", 15_000)));
      await expectError(b, "SESSION_EXPIRED", () => b.emit("heartbeat"));
      const c = await socketOf(transport);
      c.emit("join_room", { roomToken: token, sessionToken: a.sessionToken });
      const e = await waitFor(c, "error");
      assert.ok(["INVALID_SESSION", "ROOM_NOT_FOUND", "ROOM_EXPIRED"].includes(e.code), e.code);
      const join = await api(server, "POST", `/api/rooms/${token}/join`, { nickname: "late" });
      assert.ok([404, 410].includes(join.status), join.text);
    });
  });
}
