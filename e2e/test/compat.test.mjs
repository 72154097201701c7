// What the unchanged GhostRooms frontend does that the server must answer as the contract says:
// heartbeats from the lobby, one name rule for set_username and room nicknames, and user_left only
// once the leaver's session is over (PROTOCOL.md: heartbeat, set_username, "Ordering and leaving").
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GENEROUS, startServer } from "../lib/server.mjs";
import { api, connect, createRoom, expectNone, joinAll, joinRest, waitFor } from "../lib/client.mjs";

let server;
const open = [];
before(async () => { server = await startServer(GENEROUS); });
after(async () => {
  open.forEach((s) => s.close());
  await server?.stop();
});

const track = (s) => { open.push(s); return s; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe("the lobby", () => {
  test("sockets that never joined, or left, send heartbeat for 35 s and receive no error", async () => {
    const quiet = [];
    for (const transport of ["websocket", "polling", "upgrade"]) {
      quiet.push(track(await connect(server, transport)));
      const [member] = await joinAll(server, transport, await createRoom(server), [`left-${transport}`]);
      track(member);
      member.emit("leave_room");
      await waitFor(member, "room_left");
      quiet.push(member);
    }
    // The frontend sends one every 30 s; a few more here, over the same span.
    const end = Date.now() + 35_000;
    while (Date.now() < end) {
      quiet.forEach((s) => s.emit("heartbeat"));
      await sleep(5_000);
    }
    quiet.forEach((s) => s.emit("heartbeat"));
    await expectNone(quiet[0], "error", 500);
    for (const s of quiet) {
      assert.ok(s.connected, "still connected");
      assert.deepEqual(s.events.filter((e) => e.event === "error"), []);
    }
  });
});

describe("one name rule for set_username and room nicknames", () => {
  const good = ["Zoë Ñandú", "नमस्ते", "李小龙", "Ōsaka-2.0_x", "\u{10437}\u{10437}", "Ἀθηνᾶ"];

  test("every name set_username accepts can join a room under that nickname", async () => {
    const token = await createRoom(server);
    for (const name of good) {
      const s = track(await connect(server, "websocket"));
      s.emit("set_username", { username: name });
      assert.deepEqual(await waitFor(s, "username_set"), { username: name });
      const sessionToken = await joinRest(server, token, name);
      s.emit("join_room", { roomToken: token, sessionToken });
      assert.ok((await waitFor(s, "room_joined")).participants.includes(name), name);
    }
  });

  test("a name refused by set_username is refused as a nickname too", async () => {
    const token = await createRoom(server);
    for (const name of ["bang!", "a\u202Eb", "zero\u200Bwidth", "tab\there", "x", "y".repeat(21), "<b>"]) {
      const s = track(await connect(server, "websocket"));
      s.emit("set_username", { username: name });
      assert.match((await waitFor(s, "error")).code, /^(INVALID_USERNAME|USERNAME_TOO_SHORT|USERNAME_TOO_LONG)$/, name);
      const res = await api(server, "POST", `/api/rooms/${token}/join`, { nickname: name });
      assert.equal(res.status, 400, name);
      assert.equal(res.json.error.code, "INVALID_NICKNAME", name);
    }
  });

  test("names are unique by a case fold that lower-casing alone would miss", async () => {
    const token = await createRoom(server);
    assert.equal(typeof (await joinRest(server, token, "Straße")), "string");
    const res = await api(server, "POST", `/api/rooms/${token}/join`, { nickname: "STRASSE" });
    assert.equal(res.status, 409);
    assert.equal(res.json.error.code, "NICKNAME_IN_USE");
  });
});

describe("leaving", () => {
  for (const how of ["leave_room", "disconnect"]) {
    test(`once a member has seen user_left (${how}), the leaver's session token is refused`, async () => {
      for (let i = 0; i < 10; i++) {
        const token = await createRoom(server);
        const [a, b] = await joinAll(server, "websocket", token, ["alice", "bob"]);
        track(a);
        track(b);
        const probe = track(await connect(server, "websocket"));
        if (how === "leave_room") b.emit("leave_room"); else b.close();
        await waitFor(a, "user_left", (p) => p.nickname === "bob");
        probe.emit("join_room", { roomToken: token, sessionToken: b.sessionToken });
        assert.equal((await waitFor(probe, "error")).code, "INVALID_SESSION", `round ${i}`);
        const history = await api(server, "GET", `/api/messages/${token}`, undefined, { Authorization: `Bearer ${b.sessionToken}` });
        assert.equal(history.status, 401, `round ${i}`);
      }
    });
  }
});
