// Privacy of the server's own output (PROTOCOL "Lifecycle": logs never contain message contents or
// tokens) in both LOG_FORMATs, at LOG_LEVEL=DEBUG: a whole chat over REST and socket.io (websocket
// and polling, a DM room, an upload, failures that echo client input) leaves no room token, session
// token, message content, nickname, username, room name or file display name anywhere in the
// server's stdout and stderr, shutdown included. The JSON run also checks that every line is one
// JSON object with a level and a message; the text run that every line has today's pattern. Both
// see a DEBUG line (LOG_LEVEL holds in either format). LOGS_TEST_DUMP=1 prints the outputs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { GENEROUS, startServer } from "../lib/server.mjs";
import {
  api, connect, createRoom, emitAck, joinRest, PDF, upload, waitFor,
} from "../lib/client.mjs";

const TEXT_LINE = /^\d\d:\d\d:\d\d\.\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) \[[^\]]*\] \S+ - /;

/** A fresh marker per use: [A-Za-z0-9], nothing a JSON encoder would escape. */
function marker(n = 10) {
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(n)].map((b) => abc[b % abc.length]).join("");
}

/** Drives a chat that touches every path a secret travels; returns {kind: value} of what it used. */
async function chat(server) {
  const secrets = {};
  const keep = (kind, value) => { secrets[kind] = value; return value; };
  const sockets = [];
  try {
    // A global username, then a public named room, a private room and a DM room.
    const lobby = await connect(server, "websocket");
    sockets.push(lobby);
    const username = keep("username", "User" + marker(8));
    lobby.emit("set_username", { username });
    assert.equal((await waitFor(lobby, "username_set")).username, username);

    const roomName = keep("room name", "Lobby " + marker(8));
    const publicRoom = keep("public room token", await createRoom(server, { name: roomName, isPublic: true, ttlHours: 1 }));
    keep("private room token", await createRoom(server, { ttlHours: 0.5 }));
    const dmName = marker(12).toLowerCase();
    const dm = keep("DM room token", await createRoom(server, { name: dmName, isDM: true }));
    keep("DM room name", dmName);

    const aliceNick = keep("nickname alice", "Alice" + marker(8));
    const bobNick = keep("nickname bob", "Bob" + marker(8));
    const carolNick = keep("nickname carol", "Carol" + marker(8));
    const aliceSession = keep("session alice", await joinRest(server, publicRoom, aliceNick));
    const bobSession = keep("session bob", await joinRest(server, publicRoom, bobNick));
    const carolSession = keep("session carol", await joinRest(server, dm, carolNick));

    const a = await connect(server, "websocket");
    const b = await connect(server, "polling");
    const c = await connect(server, "upgrade");
    sockets.push(a, b, c);
    a.emit("join_room", { roomToken: publicRoom, sessionToken: aliceSession });
    await waitFor(a, "room_joined");
    b.emit("join_room", { roomToken: publicRoom, sessionToken: bobSession });
    await waitFor(b, "room_joined");
    await waitFor(a, "user_joined");
    c.emit("join_room", { roomToken: dm, sessionToken: carolSession });
    await waitFor(c, "room_joined");

    // Messages: text, sticker, a file with a caption, a DM.
    const text = keep("text content", "hello " + marker());
    const sent = await emitAck(a, "send_message", { type: "TEXT", content: text });
    assert.equal(sent.ok, true);
    assert.equal((await waitFor(b, "new_message")).content, text);
    const sticker = keep("sticker id", "sticker-" + marker(8));
    assert.equal((await emitAck(b, "send_message", { type: "STICKER", content: sticker })).ok, true);
    const fileName = keep("file display name", `notes-${marker()}.pdf`);
    const up = await upload(server, fileName, PDF, "application/pdf");
    assert.equal(up.status, 201);
    assert.equal(up.json.attachment.fileName, fileName);
    const caption = keep("caption", "caption " + marker());
    const fileMessage = await emitAck(a, "send_message", { type: "FILE", content: caption, attachments: [up.json.attachment] });
    assert.equal(fileMessage.ok, true);
    const dmText = keep("DM content", "psst " + marker());
    assert.equal((await emitAck(c, "send_message", { type: "TEXT", content: dmText })).ok, true);

    // REST reads with the bearer token.
    const history = await api(server, "GET", `/api/messages/${publicRoom}?limit=10`, undefined,
      { authorization: `Bearer ${aliceSession}` });
    assert.equal(history.status, 200);
    assert.equal(history.json.data.length, 3);
    assert.equal((await api(server, "GET", `/api/rooms/${publicRoom}`)).status, 200);
    assert.equal((await api(server, "GET", `/api/rooms/${publicRoom}/validate`)).status, 200);
    assert.equal((await api(server, "GET", `/api/files/message/${fileMessage.message.id}`)).status, 200);
    assert.equal((await api(server, "GET", "/api/rooms/public")).status, 200);

    // Failures that carry client input back to the server's handlers.
    const wrongSession = keep("unknown session token", marker(32));
    const wrongRoom = keep("unknown room token", "ghost-" + marker(8).toLowerCase());
    a.emit("join_room", { roomToken: wrongRoom, sessionToken: wrongSession });
    assert.equal((await waitFor(a, "error", (e) => e.code === "INVALID_SESSION")).code, "INVALID_SESSION");
    assert.equal((await api(server, "GET", `/api/rooms/${wrongRoom}`)).status, 404);
    assert.equal((await api(server, "POST", `/api/rooms/${publicRoom}/join`, { nickname: aliceNick.toUpperCase() })).status, 409);
    const badNick = keep("refused nickname", "Bad\u0007" + marker(8));
    assert.equal((await api(server, "POST", `/api/rooms/${publicRoom}/join`, { nickname: badNick })).status, 400);
    assert.equal((await api(server, "GET", `/api/messages/${publicRoom}`, undefined,
      { authorization: `Bearer ${wrongSession}` })).status, 401);
    const tooLong = keep("refused long content", marker(16) + "x".repeat(2100));
    assert.equal((await emitAck(a, "send_message", { type: "TEXT", content: tooLong })).error.code, "MESSAGE_TOO_LONG");
    const badType = keep("refused type", "TYPE" + marker(8));
    assert.equal((await emitAck(a, "send_message", { type: badType, content: text })).error.code, "INVALID_MESSAGE_TYPE");

    // Delete, leave, disconnect.
    a.emit("delete_message", { messageId: sent.message.id });
    await waitFor(b, "message_deleted");
    b.emit("leave_room");
    await waitFor(b, "room_left");
    await waitFor(a, "user_left");
  } finally {
    sockets.forEach((s) => s.close());
  }
  await new Promise((r) => setTimeout(r, 300)); // the disconnects reach the server
  return secrets;
}

/** Every string inside a parsed JSON line, so an escaped form cannot hide a secret. */
function strings(value, out = []) {
  if (typeof value === "string") out.push(value);
  else if (value && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
  return out;
}

for (const format of ["text", "json"]) {
  describe(`LOG_FORMAT=${format} at LOG_LEVEL=DEBUG`, () => {
    let server;
    let secrets;
    let output;
    before(async () => {
      server = await startServer({ ...GENEROUS, LOG_LEVEL: "DEBUG", LOG_FORMAT: format });
      try {
        secrets = await chat(server);
      } finally {
        await server.stop(); // the shutdown lines are part of what is checked
      }
      output = server.output();
      if (process.env.LOGS_TEST_DUMP) console.error(output);
    });
    after(async () => { await server?.stop(); });

    test("the output holds no token, content, nickname, username, room name or file name", () => {
      assert.ok(output.includes("GhostRooms listening on"), "the server's output was captured");
      assert.ok(Object.keys(secrets).length >= 20, "the chat ran to its end");
      const lines = output.split("\n").filter((l) => l.trim() !== "");
      const decoded = format === "json"
        ? lines.map((l) => { try { return strings(JSON.parse(l)).join("\n"); } catch { return ""; } }).join("\n")
        : "";
      const haystack = (output + "\n" + decoded).toLowerCase();
      const leaks = Object.entries(secrets)
        .filter(([, value]) => haystack.includes(value.toLowerCase().slice(0, 40)))
        .map(([kind]) => kind);
      assert.deepEqual(leaks, [], "found in the server's output:\n" + output);
    });

    if (format === "json") {
      test("every line is one JSON object with a level and a message", () => {
        const lines = output.split("\n").filter((l) => l !== "");
        assert.ok(lines.length >= 3, "startup and shutdown lines at least");
        for (const line of lines) {
          let event;
          assert.doesNotThrow(() => { event = JSON.parse(line); }, `not JSON: ${line}`);
          assert.equal(typeof event, "object", line);
          assert.ok(event !== null && !Array.isArray(event), line);
          assert.match(event.level, /^(TRACE|DEBUG|INFO|WARN|ERROR)$/, line);
          assert.equal(typeof event.message, "string", line);
          assert.equal(typeof event.formattedMessage, "string", line);
          assert.equal(typeof event.loggerName, "string", line);
          assert.equal(typeof event.timestamp, "number", line);
        }
        const first = JSON.parse(lines[0]);
        assert.ok(Date.now() - first.timestamp < 120_000, "the first line is of this run");
        assert.ok(lines.some((l) => JSON.parse(l).formattedMessage.startsWith("GhostRooms listening on http://localhost:")));
        // LOG_LEVEL applies in this format too (Main's settings line is DEBUG).
        assert.ok(lines.some((l) => JSON.parse(l).level === "DEBUG" && JSON.parse(l).message.startsWith("settings:")));
      });
    } else {
      test("every line has the text pattern (time level [thread] logger - message)", () => {
        const lines = output.split("\n").filter((l) => l !== "");
        assert.ok(lines.length >= 3, "startup and shutdown lines at least");
        for (const line of lines) assert.match(line, TEXT_LINE);
        // LOG_LEVEL applies (Main's settings line is DEBUG).
        assert.ok(lines.some((l) => / DEBUG \[main\] i\.g\.server\.Main - settings: /.test(l)), output);
      });
    }
  });
}
