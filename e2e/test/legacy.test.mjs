// The seed's earlier ChatBackEnd API (PROTOCOL "Legacy events"), driven with the real
// socket.io-client 4.8 the way its README's clients do: register -> createRoom -> a second client's
// getRooms -> joinRoom -> sendMessage both ways -> leaveRoom, over websocket and long-polling; hostile
// input on every legacy event; a legacy room and a token room side by side, neither visible to or
// reachable by the other API; and a legacy room expiring with its data. Every wait is for a state
// (an event, a REST answer), bounded, never a fixed sleep standing in for the assertion.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { GENEROUS, startServer } from "../lib/server.mjs";
import { api, connect, createRoom, expectNone, joinAll, waitFor } from "../lib/client.mjs";

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const WAIT = 15_000;

let server; // ROOM_TTL_HOURS default (24)
let brief; // legacy rooms end 28.8 s after they are made
const open = [];
before(async () => {
  [server, brief] = await Promise.all([
    startServer(GENEROUS),
    startServer({ ...GENEROUS, ROOM_TTL_HOURS: "0.008" }),
  ]);
});
after(async () => {
  open.forEach((s) => s.close());
  await Promise.all([server?.stop(), brief?.stop()]);
});

async function socketOf(srv, transport) {
  const s = await connect(srv, transport);
  open.push(s);
  return s;
}

const userId = (name) => `${name}-${randomUUID().slice(0, 8)}`;

async function register(socket, id, username) {
  socket.emit("register", { userId: id, username });
  return waitFor(socket, "registered", (r) => r.user?.id === id, WAIT);
}

async function makeRoom(socket, id, name) {
  socket.emit("createRoom", { name, userId: id });
  return (await waitFor(socket, "roomCreated", (r) => r.room?.name === name, WAIT)).room;
}

/** Emits and resolves with the error event it causes, which must carry `code`. */
async function expectError(socket, code, event, ...args) {
  socket.emit(event, ...args);
  const error = await waitFor(socket, "error", () => true, WAIT);
  assert.equal(error.code, code, `${event} ${JSON.stringify(args)} answered ${JSON.stringify(error)}`);
  assert.equal(typeof error.message, "string");
  assert.ok(error.message.length > 0);
  return error;
}

function assertUser(user, id, username) {
  assert.equal(user.id, id);
  assert.equal(user.username, username);
  assert.match(user.createdAt, ISO_MS);
  assert.match(user.updatedAt, ISO_MS);
}

for (const transport of ["websocket", "polling"]) {
  describe(`the README flow over ${transport}`, () => {
    test("register, createRoom, getRooms, joinRoom, sendMessage both ways, leaveRoom", async () => {
      const alice = await socketOf(server, transport);
      const bob = await socketOf(server, transport);
      const aliceId = userId("alice");
      const bobId = userId("bob");

      const registered = await register(alice, aliceId, "Alice");
      assert.equal(registered.success, true);
      assertUser(registered.user, aliceId, "Alice");

      const room = await makeRoom(alice, aliceId, `General ${transport}`);
      assert.match(room.id, UUID);
      assert.match(room.createdAt, ISO_MS);
      assert.equal(room.updatedAt, room.createdAt);
      assert.deepEqual(room.messages, []);
      assert.equal(room.users.length, 1);
      assert.equal(room.users[0].userId, aliceId);
      assert.equal(room.users[0].roomId, room.id);
      assert.match(room.users[0].id, UUID);
      assert.match(room.users[0].joinedAt, ISO_MS);
      assertUser(room.users[0].user, aliceId, "Alice");

      await register(bob, bobId, "Bob");
      bob.emit("getRooms");
      const list = await waitFor(bob, "roomsList", (l) => l.rooms?.some((r) => r.id === room.id), WAIT);
      assert.equal(list.success, true);
      const listed = list.rooms.find((r) => r.id === room.id);
      assert.equal(listed.name, `General ${transport}`);
      assert.deepEqual(listed._count, { messages: 0, users: 1 });
      assert.equal(listed.users[0].user.username, "Alice");
      assert.equal(listed.messages, undefined, "the list has counts, not messages");

      bob.emit("joinRoom", { roomId: room.id, userId: bobId, username: "Bob" });
      const joined = (await waitFor(bob, "joinedRoom", (j) => j.room?.id === room.id, WAIT));
      assert.equal(joined.success, true);
      assert.deepEqual(joined.room.users.map((u) => u.userId), [aliceId, bobId]);
      assert.deepEqual(joined.room.messages, []);
      assert.deepEqual(await waitFor(alice, "userJoined", () => true, WAIT), { userId: bobId, username: "Bob" });

      alice.emit("sendMessage", { roomId: room.id, userId: aliceId, content: "hello <b>bob</b>" });
      const [toAlice, toBob] = await Promise.all([
        waitFor(alice, "newMessage", (m) => m.content === "hello <b>bob</b>", WAIT),
        waitFor(bob, "newMessage", (m) => m.content === "hello <b>bob</b>", WAIT),
      ]);
      assert.deepEqual(toAlice, toBob, "the sender gets what the room gets");
      assert.match(toBob.id, UUID);
      assert.equal(toBob.userId, aliceId);
      assert.equal(toBob.roomId, room.id);
      assert.match(toBob.createdAt, ISO_MS);
      assertUser(toBob.user, aliceId, "Alice");

      bob.emit("sendMessage", { roomId: room.id, userId: bobId, content: "hi alice ✓" });
      const reply = await waitFor(alice, "newMessage", (m) => m.userId === bobId, WAIT);
      assert.equal(reply.content, "hi alice ✓");
      await waitFor(bob, "newMessage", (m) => m.id === reply.id, WAIT);

      // REST sees the same room: the list with its counts, the room with its messages oldest first.
      const rest = await api(server, "GET", "/api/rooms");
      assert.equal(rest.status, 200);
      assert.equal(rest.json.success, true);
      const restListed = rest.json.rooms.find((r) => r.id === room.id);
      assert.deepEqual(restListed._count, { messages: 2, users: 2 });
      const one = await api(server, "GET", `/api/rooms/${room.id}`);
      assert.equal(one.status, 200);
      assert.deepEqual(one.json.room.messages.map((m) => m.content), ["hello <b>bob</b>", "hi alice ✓"]);
      assert.deepEqual(one.json.room.messages[1], reply);

      // A newcomer's joinedRoom has the history, oldest first.
      const carol = await socketOf(server, transport);
      const carolId = userId("carol");
      await register(carol, carolId, "Carol");
      carol.emit("joinRoom", { roomId: room.id, userId: carolId, username: "Carol" });
      const carolJoined = await waitFor(carol, "joinedRoom", () => true, WAIT);
      assert.deepEqual(carolJoined.room.messages.map((m) => m.id), [toBob.id, reply.id]);
      await waitFor(alice, "userJoined", (u) => u.userId === carolId, WAIT);
      await waitFor(bob, "userJoined", (u) => u.userId === carolId, WAIT);

      bob.emit("leaveRoom", room.id);
      assert.deepEqual(await waitFor(alice, "userLeft", () => true, WAIT), { userId: bobId, username: "Bob" });
      assert.deepEqual(await waitFor(carol, "userLeft", () => true, WAIT), { userId: bobId, username: "Bob" });
      await expectError(bob, "NOT_IN_ROOM", "sendMessage", { roomId: room.id, userId: bobId, content: "after leaving" });
      const after = (await api(server, "GET", "/api/rooms")).json.rooms.find((r) => r.id === room.id);
      assert.deepEqual(after.users.map((u) => u.userId), [aliceId, carolId]);

      // The room goes on without bob: his socket is no longer in it.
      alice.emit("sendMessage", { roomId: room.id, userId: aliceId, content: "bye bob" });
      await waitFor(carol, "newMessage", (m) => m.content === "bye bob", WAIT);
      await waitFor(alice, "newMessage", (m) => m.content === "bye bob", WAIT);
      await expectNone(bob, "newMessage", 300);
    });

    test("an ack callback gets the answer too (ours), errors included", async () => {
      const alice = await socketOf(server, transport);
      const id = userId("ack");
      const registered = await alice.timeout(WAIT).emitWithAck("register", { userId: id, username: "Acker" });
      assert.equal(registered.success, true);
      const created = await alice.timeout(WAIT).emitWithAck("createRoom", { name: "Acked", userId: id });
      const sent = await alice.timeout(WAIT).emitWithAck("sendMessage", { roomId: created.room.id, userId: id, content: "ok" });
      assert.equal(sent.content, "ok");
      assert.equal(sent.roomId, created.room.id);
      const refused = await alice.timeout(WAIT).emitWithAck("sendMessage", { roomId: created.room.id, userId: id, content: "" });
      assert.deepEqual(Object.keys(refused).sort(), ["error", "success"]);
      assert.equal(refused.success, false);
      assert.equal(refused.error.code, "INVALID_MESSAGE");
      assert.deepEqual(await alice.timeout(WAIT).emitWithAck("leaveRoom", created.room.id), { success: true });
    });
  });
}

describe("hostile input on every legacy event", () => {
  test("register: wrong types, missing fields, bad names, a userId another socket holds", async () => {
    const s = await socketOf(server, "websocket");
    const other = await socketOf(server, "polling");
    const id = userId("reg");
    await expectError(s, "INVALID_PAYLOAD", "register");
    await expectError(s, "INVALID_PAYLOAD", "register", "just a string");
    await expectError(s, "INVALID_PAYLOAD", "register", [id, "Ann"]);
    await expectError(s, "INVALID_PAYLOAD", "register", { username: "Ann" });
    await expectError(s, "INVALID_PAYLOAD", "register", { userId: 42, username: "Ann" });
    await expectError(s, "INVALID_PAYLOAD", "register", { userId: "a b", username: "Ann" });
    await expectError(s, "INVALID_PAYLOAD", "register", { userId: "x".repeat(65), username: "Ann" });
    await expectError(s, "INVALID_USERNAME", "register", { userId: id });
    await expectError(s, "INVALID_USERNAME", "register", { userId: id, username: { name: "Ann" } });
    await expectError(s, "INVALID_USERNAME", "register", { userId: id, username: "An\u0000n" });
    await expectError(s, "INVALID_USERNAME", "register", { userId: id, username: "An\ud800n" });
    await expectError(s, "INVALID_USERNAME", "register", { userId: id, username: "<script>" });
    await expectError(s, "USERNAME_TOO_SHORT", "register", { userId: id, username: "A" });
    await expectError(s, "USERNAME_TOO_LONG", "register", { userId: id, username: "A".repeat(21) });
    await register(s, id, "Ann");
    await expectError(other, "FORBIDDEN", "register", { userId: id, username: "Mallory" });
    await expectError(s, "FORBIDDEN", "register", { userId: userId("second"), username: "Ann" });
    // The socket keeps working, and a repeated register renames.
    const renamed = await register(s, id, "Annie");
    assert.equal(renamed.user.username, "Annie");
  });

  test("createRoom: before register, as another user, wrong types, bad names", async () => {
    const s = await socketOf(server, "websocket");
    const id = userId("cr");
    await expectError(s, "UNAUTHORIZED", "createRoom", { name: "Early", userId: id });
    await register(s, id, "Cora");
    await expectError(s, "INVALID_PAYLOAD", "createRoom");
    await expectError(s, "INVALID_PAYLOAD", "createRoom", "General");
    await expectError(s, "INVALID_PAYLOAD", "createRoom", { name: "General" });
    await expectError(s, "FORBIDDEN", "createRoom", { name: "General", userId: userId("someone") });
    await expectError(s, "INVALID_ROOM", "createRoom", { userId: id });
    await expectError(s, "INVALID_ROOM", "createRoom", { name: "   ", userId: id });
    await expectError(s, "INVALID_ROOM", "createRoom", { name: 5, userId: id });
    await expectError(s, "INVALID_ROOM", "createRoom", { name: "n".repeat(101), userId: id });
    await expectError(s, "INVALID_ROOM", "createRoom", { name: "bell\u0007", userId: id });
    await expectError(s, "INVALID_ROOM", "createRoom", { name: "half \udc00", userId: id });
    const names = (await api(server, "GET", "/api/rooms")).json.rooms.map((r) => r.name);
    assert.ok(!names.some((n) => n === "Early" || n.startsWith("n".repeat(100))), "nothing refused was made");
    assert.equal((await makeRoom(s, id, "Fine after all")).name, "Fine after all");
  });

  test("joinRoom: wrong types, missing fields, unknown and foreign ids, a token room's token", async () => {
    const s = await socketOf(server, "polling");
    const id = userId("jr");
    const token = await createRoom(server, { name: "Token room", isPublic: true });
    await expectError(s, "UNAUTHORIZED", "joinRoom", { roomId: randomUUID(), userId: id });
    await register(s, id, "Jo");
    await expectError(s, "INVALID_PAYLOAD", "joinRoom");
    await expectError(s, "INVALID_PAYLOAD", "joinRoom", randomUUID());
    await expectError(s, "INVALID_PAYLOAD", "joinRoom", { userId: id });
    await expectError(s, "INVALID_PAYLOAD", "joinRoom", { roomId: 7, userId: id });
    await expectError(s, "INVALID_PAYLOAD", "joinRoom", { roomId: randomUUID() });
    await expectError(s, "FORBIDDEN", "joinRoom", { roomId: randomUUID(), userId: userId("other") });
    await expectError(s, "ROOM_NOT_FOUND", "joinRoom", { roomId: randomUUID(), userId: id });
    await expectError(s, "ROOM_NOT_FOUND", "joinRoom", { roomId: "../../etc/passwd", userId: id });
    await expectError(s, "ROOM_NOT_FOUND", "joinRoom", { roomId: token, userId: id });
    await expectError(s, "INVALID_USERNAME", "joinRoom", { roomId: randomUUID(), userId: id, username: 3 });
  });

  test("sendMessage: wrong types, missing fields, a room the socket did not join, bad content, as another user", async () => {
    const owner = await socketOf(server, "websocket");
    const stranger = await socketOf(server, "websocket");
    const ownerId = userId("own");
    const strangerId = userId("str");
    await register(owner, ownerId, "Owner");
    await register(stranger, strangerId, "Stranger");
    const room = await makeRoom(owner, ownerId, "Guarded");
    const token = await createRoom(server);
    await expectError(stranger, "INVALID_PAYLOAD", "sendMessage");
    await expectError(stranger, "INVALID_PAYLOAD", "sendMessage", "hello");
    await expectError(stranger, "INVALID_PAYLOAD", "sendMessage", { roomId: room.id, content: "no user" });
    await expectError(stranger, "INVALID_PAYLOAD", "sendMessage", { userId: strangerId, content: "no room" });
    await expectError(stranger, "NOT_IN_ROOM", "sendMessage", { roomId: room.id, userId: strangerId, content: "let me in" });
    await expectError(stranger, "NOT_IN_ROOM", "sendMessage", { roomId: randomUUID(), userId: strangerId, content: "x" });
    await expectError(stranger, "NOT_IN_ROOM", "sendMessage", { roomId: token, userId: strangerId, content: "x" });
    await expectError(stranger, "FORBIDDEN", "sendMessage", { roomId: room.id, userId: ownerId, content: "spoofed" });
    await expectError(owner, "INVALID_MESSAGE", "sendMessage", { roomId: room.id, userId: ownerId });
    await expectError(owner, "INVALID_MESSAGE", "sendMessage", { roomId: room.id, userId: ownerId, content: "  " });
    await expectError(owner, "INVALID_MESSAGE", "sendMessage", { roomId: room.id, userId: ownerId, content: ["x"] });
    await expectError(owner, "INVALID_MESSAGE", "sendMessage", { roomId: room.id, userId: ownerId, content: "nul\u0000" });
    await expectError(owner, "INVALID_MESSAGE", "sendMessage", { roomId: room.id, userId: ownerId, content: "half\ud800" });
    await expectError(owner, "MESSAGE_TOO_LONG", "sendMessage", { roomId: room.id, userId: ownerId, content: "x".repeat(2001) });
    const stored = (await api(server, "GET", `/api/rooms/${room.id}`)).json.room.messages;
    assert.deepEqual(stored, [], "nothing refused was stored");
    // 2000 code points outside the BMP are 4000 UTF-16 units and still allowed: lengths count code points.
    const long = "𝐀".repeat(2000);
    owner.emit("sendMessage", { roomId: room.id, userId: ownerId, content: long });
    assert.equal((await waitFor(owner, "newMessage", () => true, WAIT)).content, long);
  });

  test("sendMessage: the per-user rate limit (RATE_LIMIT_MESSAGES_PER_MINUTE)", async () => {
    const limited = await startServer({ ...GENEROUS, RATE_LIMIT_MESSAGES_PER_MINUTE: "2" });
    try {
      const s = await connect(limited, "websocket");
      open.push(s);
      const id = userId("rl");
      await register(s, id, "Rater");
      const room = await makeRoom(s, id, "Limited");
      for (const n of [1, 2]) {
        s.emit("sendMessage", { roomId: room.id, userId: id, content: `m${n}` });
        await waitFor(s, "newMessage", (m) => m.content === `m${n}`, WAIT);
      }
      await expectError(s, "RATE_LIMIT_EXCEEDED", "sendMessage", { roomId: room.id, userId: id, content: "m3" });
      s.close();
    } finally {
      await limited.stop();
    }
  });

  test("leaveRoom: not a string, a room the socket is not in; getRooms ignores a payload", async () => {
    const s = await socketOf(server, "polling");
    const id = userId("lv");
    await expectError(s, "NOT_IN_ROOM", "leaveRoom", randomUUID());
    await register(s, id, "Leaver");
    await expectError(s, "INVALID_PAYLOAD", "leaveRoom");
    await expectError(s, "INVALID_PAYLOAD", "leaveRoom", { roomId: randomUUID() });
    await expectError(s, "INVALID_PAYLOAD", "leaveRoom", 12);
    await expectError(s, "NOT_IN_ROOM", "leaveRoom", randomUUID());
    await expectError(s, "NOT_IN_ROOM", "leaveRoom", await createRoom(server));
    s.emit("getRooms", { evil: true });
    assert.equal((await waitFor(s, "roomsList", () => true, WAIT)).success, true);
  });
});

describe("a legacy room and a token room side by side", () => {
  test("neither list shows the other's room, and neither API reaches the other's room", async () => {
    const token = await createRoom(server, { name: "Token side", isPublic: true });
    const [member] = await joinAll(server, "websocket", token, ["tina"]);
    open.push(member);
    const legacy = await socketOf(server, "websocket");
    const id = userId("side");
    await register(legacy, id, "Lee");
    const room = await makeRoom(legacy, id, "Legacy side");

    const legacyList = (await api(server, "GET", "/api/rooms")).json.rooms;
    assert.ok(legacyList.some((r) => r.id === room.id));
    assert.ok(!JSON.stringify(legacyList).includes(token), "no token room in the legacy list");
    assert.ok(!legacyList.some((r) => r.name === "Token side"));
    const publicList = (await api(server, "GET", "/api/rooms/public")).json.data;
    assert.ok(publicList.some((r) => r.token === token));
    assert.ok(!publicList.some((r) => r.name === "Legacy side" || JSON.stringify(r).includes(room.id)),
      "no legacy room in the public list");
    member.emit("get_public_rooms");
    const update = await waitFor(member, "public_rooms_update", (u) => u.rooms.some((r) => r.token === token), WAIT);
    assert.ok(!update.rooms.some((r) => r.name === "Legacy side"));
    legacy.emit("getRooms");
    const rooms = (await waitFor(legacy, "roomsList", () => true, WAIT)).rooms;
    assert.ok(!rooms.some((r) => r.name === "Token side"));

    // The token API cannot reach the legacy room by its id ...
    assert.equal((await api(server, "GET", `/api/rooms/${room.id}/validate`)).json.error.code, "ROOM_NOT_FOUND");
    assert.equal((await api(server, "POST", `/api/rooms/${room.id}/join`, { nickname: "eve" })).json.error.code, "ROOM_NOT_FOUND");
    assert.equal((await api(server, "DELETE", `/api/rooms/${room.id}`, undefined, { Authorization: "Bearer x" })).status, 403);
    // ... nor the legacy API the token room by its token.
    assert.deepEqual((await api(server, "GET", `/api/rooms/${randomUUID()}`)).json, { success: false, error: "Room not found" });
    await expectError(legacy, "ROOM_NOT_FOUND", "joinRoom", { roomId: token, userId: id });
    await expectError(legacy, "NOT_IN_ROOM", "sendMessage", { roomId: token, userId: id, content: "cross" });
    const info = await api(server, "GET", `/api/rooms/${token}`);
    assert.equal(info.json.data.participantCount, 1);

    // Each room's messages stay in it.
    legacy.emit("sendMessage", { roomId: room.id, userId: id, content: "legacy only" });
    member.emit("send_message", { type: "TEXT", content: "token only" });
    await waitFor(legacy, "newMessage", (m) => m.content === "legacy only", WAIT);
    await waitFor(member, "new_message", (m) => m.content === "token only", WAIT);
    await expectNone(member, "newMessage", 300);
    await expectNone(legacy, "new_message", 0);
    const legacyMessages = (await api(server, "GET", `/api/rooms/${room.id}`)).json.room.messages;
    assert.deepEqual(legacyMessages.map((m) => m.content), ["legacy only"]);
    const history = await api(server, "GET", `/api/messages/${token}`, undefined,
      { Authorization: `Bearer ${member.sessionToken}` });
    assert.deepEqual(history.json.data.map((m) => m.content), ["token only"]);
  });
});

describe("expiry", () => {
  test("a legacy room ends after ROOM_TTL_HOURS with its messages and members, wherever it is listed", async () => {
    const alice = await socketOf(brief, "websocket");
    const bob = await socketOf(brief, "polling");
    const aliceId = userId("exp-a");
    const bobId = userId("exp-b");
    await register(alice, aliceId, "Alice");
    await register(bob, bobId, "Bob");
    const room = await makeRoom(alice, aliceId, "Short lived");
    bob.emit("joinRoom", { roomId: room.id, userId: bobId });
    await waitFor(bob, "joinedRoom", () => true, WAIT);
    alice.emit("sendMessage", { roomId: room.id, userId: aliceId, content: "gone soon" });
    await waitFor(bob, "newMessage", (m) => m.content === "gone soon", WAIT);
    assert.equal((await api(brief, "GET", `/api/rooms/${room.id}`)).status, 200);

    // 28.8 s of TTL, then within a minute it is gone: wait for that state, bounded.
    const deadline = Date.now() + 90_000;
    let res;
    for (;;) {
      res = await api(brief, "GET", `/api/rooms/${room.id}`);
      if (res.status === 404 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(res.status, 404, "the room ended");
    assert.deepEqual(res.json, { success: false, error: "Room not found" });
    assert.ok(!(await api(brief, "GET", "/api/rooms")).json.rooms.some((r) => r.id === room.id));
    // Its row is gone once joinRoom no longer finds it (ROOM_EXPIRED only between its end and its purge).
    for (;;) {
      bob.emit("joinRoom", { roomId: room.id, userId: bobId });
      const { code } = await waitFor(bob, "error", () => true, WAIT);
      assert.ok(["ROOM_NOT_FOUND", "ROOM_EXPIRED"].includes(code), code);
      if (code === "ROOM_NOT_FOUND") break;
      assert.ok(Date.now() < deadline, "the ended room was deleted");
      await new Promise((r) => setTimeout(r, 200));
    }
    alice.emit("sendMessage", { roomId: room.id, userId: aliceId, content: "late" });
    assert.ok(["NOT_IN_ROOM", "ROOM_EXPIRED"].includes((await waitFor(alice, "error", () => true, WAIT)).code));
    const late = (await api(brief, "GET", "/api/rooms")).json.rooms;
    assert.ok(!late.some((r) => r.id === room.id));
    // The sockets are still good: a new room works, and it starts empty.
    const next = await makeRoom(alice, aliceId, "Next");
    assert.deepEqual(next.messages, []);
  });
});

describe("what the servers wrote", () => {
  test("no stack trace, no ERROR line, no message content or username in the servers' output", () => {
    for (const srv of [server, brief]) {
      const output = srv.output();
      assert.ok(output.includes("GhostRooms listening on"), "this is the server's output");
      assert.ok(!/\n\s+at [\w.$]+\(/.test(output), `a stack trace:\n${output.slice(0, 2000)}`);
      assert.ok(!/\bERROR\b/.test(output), `an ERROR line:\n${output.slice(0, 2000)}`);
      for (const secret of ["hello <b>bob</b>", "hi alice", "bye bob", "gone soon", "legacy only", "let me in",
        "spoofed", "Mallory", "Stranger"]) {
        assert.ok(!output.includes(secret), `the output holds '${secret}'`);
      }
    }
  });
});
