// The server's OpenAPI 3.1 document (GET /api/openapi.json): it is a valid OpenAPI 3.1 document,
// every route the server serves is in it and answers as it says (one request per documented
// operation and every status that is cheap to provoke), and the check every other e2e file runs
// on its REST answers (lib/openapi.mjs, called by the helpers) really refuses what the document
// does not allow, so it cannot pass vacuously.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import { GENEROUS, startServer } from "../lib/server.mjs";
import { randomUUID } from "node:crypto";
import { api, connect, createRoom, emitAck, joinAll, joinRest, PDF, PNG, upload, waitFor } from "../lib/client.mjs";
import { checkResponse, openapiOf, seen, useDocument } from "../lib/openapi.mjs";
import { rawHttp, rawHttpAll } from "../lib/raw.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const RESOURCE = resolve(here, "../../ghostrooms-server/src/main/resources/openapi.json");
const ALLOWED = "http://chat.example";
const FOREIGN = "http://evil.example";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The routes RestApi serves (ghostrooms-server/.../http/RestApi.java), as the document's templates. */
const SERVED = [
  ["get", "/health"], ["get", "/api/health"], ["get", "/api/openapi.json"],
  ["post", "/api/rooms"], ["get", "/api/rooms"], ["get", "/api/rooms/public"], ["get", "/api/rooms/{token}"],
  ["get", "/api/rooms/{token}/validate"], ["post", "/api/rooms/{token}/join"], ["get", "/api/messages/{roomToken}"],
  ["patch", "/api/rooms/{token}"], ["delete", "/api/rooms/{token}"], ["post", "/api/rooms/{token}/kick"],
  ["post", "/api/files/upload"], ["get", "/api/files/{fileName}"], ["get", "/api/files/message/{messageId}"],
];
/** Routes described in PROTOCOL.md "Operations" that another branch adds; exercised once served. */
const AHEAD = [["get", "/health/ready"], ["get", "/metrics"]];

let server; // CORS_ORIGIN is a list; uploads up to 1 MB
let tight; // every per-IP rate limit is 1
const open = [];
before(async () => {
  [server, tight] = await Promise.all([
    startServer({ ...GENEROUS, CORS_ORIGIN: ALLOWED, MAX_FILE_SIZE_MB: "1" }),
    startServer({ ...GENEROUS, RATE_LIMIT_ROOM_CREATE_PER_HOUR: "1", RATE_LIMIT_LOOKUPS_PER_MINUTE: "1", RATE_LIMIT_UPLOADS_PER_HOUR: "1" }),
  ]);
});
after(async () => {
  open.forEach((s) => s.close());
  await Promise.all([server?.stop(), tight?.stop()]);
});

/** A fetch whose answer is checked like the helpers' (for requests api() cannot make). */
async function checkedFetch(srv, path, init = {}) {
  const res = await fetch(srv.url + path, init);
  const bytes = Buffer.from(await res.arrayBuffer());
  await checkResponse(srv, init.method ?? "GET", path, res.status, res.headers.get("content-type"), bytes.toString("utf8"));
  return { status: res.status, headers: res.headers, bytes, json: (() => { try { return JSON.parse(bytes); } catch { return null; } })() };
}

const request = (method, path, headers = [], body = "") =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((h) => h + "\r\n").join("")}\r\n${body}`;

describe("the document", () => {
  test("is a valid OpenAPI 3.1 document, served as the resource in the repository", async () => {
    const served = await api(server, "GET", "/api/openapi.json");
    assert.equal(served.status, 200);
    const validator = new Validator();
    const result = await validator.validate(served.json);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 3000));
    assert.equal(validator.version, "3.1");
    assert.deepEqual(served.json, JSON.parse(readFileSync(RESOURCE, "utf8")), "the jar under test holds the repository's document");
  });

  test("the validator refuses a broken document (the check above is not vacuous)", async () => {
    const doc = (await openapiOf(server)).doc;
    for (const [what, broken] of [
      ["no info", (d) => { delete d.info; }],
      ["a response without a description", (d) => { delete d.paths["/api/rooms"].post.responses["201"].description; }],
      ["a status that is not a status", (d) => { d.paths["/api/rooms"].post.responses["2010"] = { description: "x" }; }],
      ["a parameter without 'in'", (d) => { delete d.paths["/api/rooms/{token}"].parameters[0].in; }],
    ]) {
      const copy = structuredClone(doc);
      broken(copy);
      assert.equal((await new Validator().validate(copy)).valid, false, what);
    }
  });

  test("every schema in it compiles as JSON Schema 2020-12 in strict mode, request schemas too", async () => {
    const checker = await openapiOf(server);
    for (const name of Object.keys(checker.doc.components.schemas)) {
      assert.doesNotThrow(() => checker.ajv.getSchema(`https://ghostrooms.invalid/openapi.json#/$defs/${name}`), name);
    }
    const bodies = [];
    for (const item of Object.values(checker.doc.paths)) {
      for (const op of Object.values(item)) {
        for (const media of Object.values(op.requestBody?.content ?? {})) bodies.push(media.schema);
        for (const p of [...(op.parameters ?? []), ...(item.parameters ?? [])]) bodies.push(p.schema);
      }
    }
    for (const schema of bodies.filter(Boolean)) checker.ajv.compile(checker.rewrite(schema));
    assert.ok(bodies.length >= 8);
  });

  test("has a path and operation for every route the server serves, and for the Operations routes", async () => {
    const { doc } = await openapiOf(server);
    for (const [method, path] of [...SERVED, ...AHEAD]) {
      assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
    }
    const documented = Object.entries(doc.paths).flatMap(([p, item]) => ["get", "post", "put", "patch", "delete"]
      .filter((m) => item[m]).map((m) => `${m} ${p}`));
    assert.deepEqual(documented.sort(), [...SERVED, ...AHEAD].map(([m, p]) => `${m} ${p}`).sort(), "and nothing else");
  });
});

describe("every operation answers as documented", () => {
  test("POST /api/rooms: 201, 400 INVALID_ROOM, 400 Malformed request, 403 origin, 413", async () => {
    assert.equal((await api(server, "POST", "/api/rooms", { name: "Open", isPublic: true, ttlHours: 0.5 })).status, 201);
    assert.equal((await api(server, "POST", "/api/rooms", {})).status, 201);
    assert.equal((await api(server, "POST", "/api/rooms", { name: "abcdef123", isDM: true })).status, 201);
    assert.equal((await api(server, "POST", "/api/rooms", { ttlHours: -1 })).json.error.code, "INVALID_ROOM");
    assert.equal((await api(server, "POST", "/api/rooms", { name: null, isPublic: null })).status, 201);
    const framed = await rawHttpAll(server, request("POST", "/api/rooms", ["Content-Length: 4", "Transfer-Encoding: chunked"], "0\r\n\r\n"));
    assert.equal(framed.responses[0].status, 400);
    assert.equal((await api(server, "POST", "/api/rooms", {}, { Origin: FOREIGN })).status, 403);
    assert.equal((await api(server, "POST", "/api/rooms", { name: "n".repeat(100_000) })).status, 413);
  });

  test("POST /api/rooms past its rate limit: 429 with retryAfter", async () => {
    await api(tight, "POST", "/api/rooms", {});
    const limited = await api(tight, "POST", "/api/rooms", {});
    assert.equal(limited.status, 429);
    assert.ok(limited.json.error.retryAfter >= 1);
  });

  test("GET /api/rooms/public: 200 (rooms with and without a name)", async () => {
    await createRoom(server, { isPublic: true });
    const listed = await api(server, "GET", "/api/rooms/public");
    assert.equal(listed.status, 200);
    assert.ok(listed.json.data.some((r) => r.name === undefined) && listed.json.data.some((r) => r.name === "Open"));
  });

  test("GET /api/rooms/{token}: 200, 404, 400 Malformed URL, 429", async () => {
    const token = await createRoom(server, { name: "info" });
    assert.equal((await api(server, "GET", `/api/rooms/${token}`)).status, 200);
    assert.equal((await api(server, "GET", `/api/rooms/${await createRoom(server)}`)).status, 200, "without a name");
    assert.equal((await api(server, "GET", "/api/rooms/ghost-zzzzzzzz")).status, 404);
    assert.equal((await api(server, "GET", "/api/rooms/%zz")).status, 400);
    await api(tight, "GET", "/api/rooms/ghost-zzzzzzzz");
    assert.equal((await api(tight, "GET", "/api/rooms/ghost-zzzzzzzz")).status, 429);
    assert.equal((await api(tight, "GET", "/api/rooms/ghost-zzzzzzzz/validate")).status, 429);
    assert.equal((await api(tight, "POST", "/api/rooms/ghost-zzzzzzzz/join", { nickname: "eve" })).status, 429);
  });

  test("GET /api/rooms (legacy list) and GET /api/rooms/{token} with a legacy room's UUID: 200, HEAD, 404 ChatBackEnd body, 429", async () => {
    const s = await connect(server, "websocket");
    open.push(s);
    const userId = `doc-${randomUUID().slice(0, 8)}`;
    s.emit("register", { userId, username: "Docs" });
    await waitFor(s, "registered", () => true, 15_000);
    s.emit("createRoom", { name: "Documented", userId });
    const { room } = await waitFor(s, "roomCreated", () => true, 15_000);
    s.emit("sendMessage", { roomId: room.id, userId, content: "in the document" });
    await waitFor(s, "newMessage", () => true, 15_000);
    const list = await api(server, "GET", "/api/rooms");
    assert.equal(list.status, 200);
    assert.ok(list.json.rooms.some((r) => r.id === room.id && r._count.messages === 1));
    assert.equal((await checkedFetch(server, "/api/rooms", { method: "HEAD" })).status, 200);
    const one = await api(server, "GET", `/api/rooms/${room.id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.json.room.messages.map((m) => m.content), ["in the document"]);
    const missing = await api(server, "GET", `/api/rooms/${randomUUID()}`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { success: false, error: "Room not found" });
    await api(tight, "GET", `/api/rooms/${randomUUID()}`);
    assert.equal((await api(tight, "GET", `/api/rooms/${room.id}`)).status, 429, "the lookup budget, as for tokens");
  });

  test("GET /api/rooms/{token}/validate: 200, 403 ROOM_FULL, 404; POST join: 201, 400, 403, 404, 409", async () => {
    const token = await createRoom(server);
    assert.equal((await api(server, "GET", `/api/rooms/${token}/validate`)).status, 200);
    assert.equal((await api(server, "GET", "/api/rooms/ghost-zzzzzzzz/validate")).status, 404);
    await joinRest(server, token, "Straße");
    assert.equal((await api(server, "POST", `/api/rooms/${token}/join`, { nickname: "STRASSE" })).status, 409);
    assert.equal((await api(server, "POST", `/api/rooms/${token}/join`, {})).json.error.code, "MISSING_NICKNAME");
    assert.equal((await api(server, "POST", `/api/rooms/${token}/join`, { nickname: "bang!" })).json.error.code, "INVALID_NICKNAME");
    assert.equal((await api(server, "POST", "/api/rooms/ghost-zzzzzzzz/join", { nickname: "eve" })).status, 404);
    const dm = await createRoom(server, { name: "dmroom42", isDM: true });
    await joinRest(server, dm, "ann");
    await joinRest(server, dm, "ben");
    assert.equal((await api(server, "GET", `/api/rooms/${dm}/validate`)).json.error.code, "ROOM_FULL");
    assert.equal((await api(server, "POST", `/api/rooms/${dm}/join`, { nickname: "cy" })).json.error.code, "ROOM_FULL");
  });

  test("POST /api/rooms with room controls: 201 with ownerToken (none for an existing DM room), 400; GET shows the flags", async () => {
    const created = await api(server, "POST", "/api/rooms", { name: "Den", password: "open sesame", vanishWhenEmpty: true });
    assert.equal(created.status, 201);
    assert.match(created.json.data.ownerToken, /^[A-Za-z0-9]{32}$/);
    const info = (await api(server, "GET", `/api/rooms/${created.json.data.token}`)).json.data;
    assert.equal(info.hasPassword, true);
    assert.equal(info.vanishWhenEmpty, true);
    assert.equal(info.locked, undefined);
    const dm = { name: `dmctl${Date.now().toString(36)}`, isDM: true };
    assert.ok((await api(server, "POST", "/api/rooms", dm)).json.data.ownerToken);
    const again = await api(server, "POST", "/api/rooms", dm);
    assert.equal(again.status, 201);
    assert.equal(again.json.data.ownerToken, undefined, "only the creator whose call made the DM room gets it");
    for (const body of [{ password: "abc" }, { password: 1234 }, { vanishWhenEmpty: "yes" }, { ...dm, vanishWhenEmpty: true }]) {
      assert.equal((await api(server, "POST", "/api/rooms", body)).json.error.code, "INVALID_ROOM", JSON.stringify(body));
    }
  });

  test("POST /api/rooms/{token}/join of a password room: 201, 401 PASSWORD_REQUIRED, 403 WRONG_PASSWORD, 400 INVALID_REQUEST", async () => {
    const token = await createRoom(server, { password: "open sesame" });
    const join = (body) => api(server, "POST", `/api/rooms/${token}/join`, body);
    assert.equal((await join({ nickname: "ann" })).json.error.code, "PASSWORD_REQUIRED");
    assert.equal((await join({ nickname: "ann", password: "" })).status, 401);
    assert.equal((await join({ nickname: "ann", password: "open sesamE" })).json.error.code, "WRONG_PASSWORD");
    assert.equal((await join({ nickname: "ann", password: 1234 })).json.error.code, "INVALID_REQUEST");
    assert.equal((await join({ nickname: "ann", password: "open sesame" })).status, 201);
  });

  test("PATCH /api/rooms/{token}: 200 (ttlHours, locked), 400, 403, 413; a locked room's validate and join: 403 ROOM_LOCKED", async () => {
    const { data: room } = (await api(server, "POST", "/api/rooms", { name: "ctl" })).json;
    const path = `/api/rooms/${room.token}`;
    const owner = { Authorization: `Bearer ${room.ownerToken}` };
    await joinRest(server, room.token, "alice");
    const extended = await api(server, "PATCH", path, { ttlHours: 2 }, owner);
    assert.equal(extended.status, 200);
    assert.equal(extended.json.data.participantCount, 1);
    assert.equal(extended.json.data.locked, undefined);
    const locked = await api(server, "PATCH", path, { locked: true, ttlHours: null }, owner);
    assert.equal(locked.json.data.locked, true);
    assert.equal((await api(server, "GET", `${path}/validate`)).json.error.code, "ROOM_LOCKED");
    assert.equal((await api(server, "POST", `${path}/join`, { nickname: "bob" })).json.error.code, "ROOM_LOCKED");
    assert.equal((await api(server, "PATCH", path, { locked: false }, owner)).json.data.locked, undefined);
    for (const body of [{}, { ttlHours: 0 }, { ttlHours: 169 }, { locked: "yes" }]) {
      assert.equal((await api(server, "PATCH", path, body, owner)).json.error.code, "INVALID_ROOM", JSON.stringify(body));
    }
    const notJson = await checkedFetch(server, path, { method: "PATCH", headers: owner, body: "{nope" });
    assert.equal(notJson.json.error.code, "INVALID_ROOM");
    for (const headers of [{}, { Authorization: "Bearer wrong" }, { Authorization: `Bearer ${"A".repeat(32)}` }]) {
      assert.equal((await api(server, "PATCH", path, { locked: true }, headers)).status, 403);
    }
    assert.equal((await api(server, "PATCH", "/api/rooms/ghost-zzzzzzzz", { locked: true }, owner)).status, 403, "an unknown room");
    assert.equal((await api(server, "PATCH", "/api/rooms/not-a-room", { locked: true }, owner)).status, 403, "a token of any shape");
    assert.equal((await api(server, "PATCH", path, { locked: true }, { ...owner, Origin: FOREIGN })).status, 403);
    assert.equal((await api(server, "PATCH", path, { name: "n".repeat(100_000) }, owner)).status, 413);
  });

  test("POST /api/rooms/{token}/kick: 200, 400 MISSING_NICKNAME/INVALID_NICKNAME, 403, 404 NOT_FOUND, 413", async () => {
    const { data: room } = (await api(server, "POST", "/api/rooms", {})).json;
    const path = `/api/rooms/${room.token}/kick`;
    const owner = { Authorization: `Bearer ${room.ownerToken}` };
    await joinRest(server, room.token, "alice");
    assert.equal((await api(server, "POST", path, { nickname: "bob" }, { Authorization: "Bearer nope" })).status, 403);
    assert.equal((await api(server, "POST", path, { nickname: "bob" })).status, 403);
    assert.equal((await api(server, "POST", "/api/rooms/ghost-zzzzzzzz/kick", { nickname: "bob" }, owner)).status, 403);
    assert.equal((await api(server, "POST", path, {}, owner)).json.error.code, "MISSING_NICKNAME");
    assert.equal((await api(server, "POST", path, { nickname: "bang!" }, owner)).json.error.code, "INVALID_NICKNAME");
    assert.equal((await api(server, "POST", path, { nickname: "nobody" }, owner)).json.error.code, "NOT_FOUND");
    const kicked = await api(server, "POST", path, { nickname: "ALICE" }, owner);
    assert.deepEqual(kicked.json, { success: true, message: "Member removed" });
    assert.equal((await api(server, "POST", path, { nickname: "alice" }, owner)).status, 404, "already removed");
    assert.equal((await api(server, "POST", path, { nickname: "n".repeat(100_000) }, owner)).status, 413);
  });

  test("DELETE /api/rooms/{token}: 200, then 403 (the room is gone), 403 wrong owner, 400 Malformed URL, 413", async () => {
    const { data: room } = (await api(server, "POST", "/api/rooms", {})).json;
    const path = `/api/rooms/${room.token}`;
    const owner = { Authorization: `Bearer ${room.ownerToken}` };
    const refused = await api(server, "DELETE", path, undefined, { Authorization: "Bearer wrong" });
    assert.deepEqual(refused.json, { success: false, error: { message: "Only the room's owner may do this", code: "FORBIDDEN" } });
    assert.equal((await api(server, "DELETE", path, { pad: "n".repeat(100_000) }, owner)).status, 413);
    assert.equal((await api(server, "GET", path)).status, 200, "a refused close changed nothing");
    const closed = await api(server, "DELETE", path, undefined, owner);
    assert.deepEqual(closed.json, { success: true, message: "Room closed" });
    assert.equal((await api(server, "GET", path)).status, 404);
    assert.equal((await api(server, "DELETE", path, undefined, owner)).text, refused.text, "a closed room: the one refusal");
    assert.equal((await api(server, "DELETE", "/api/rooms/%zz", undefined, owner)).status, 400);
  });

  test("the owner's controls past the lookup budget: 429 with retryAfter", async () => {
    // tight allows 1 lookup a minute: the first refusal spends it (if an earlier test did not).
    await api(tight, "DELETE", "/api/rooms/ghost-zzzzzzzz");
    for (const [method, path, body] of [["DELETE", "", undefined], ["PATCH", "", { locked: true }], ["POST", "/kick", { nickname: "eve" }]]) {
      const limited = await api(tight, method, `/api/rooms/ghost-zzzzzzzz${path}`, body, { Authorization: "Bearer wrong" });
      assert.equal(limited.status, 429, `${method} ${path}`);
      assert.ok(limited.json.error.retryAfter >= 1);
    }
  });

  test("PATCH and kick of a room that ended but is not yet deleted: 410", async () => {
    // The room is deleted at its end (a timer the 10 s poll sets): retried when that came first.
    let patched;
    let kicked;
    for (let attempt = 0; attempt < 4 && !(patched === 410 && kicked === 410); attempt++) {
      const { data: room } = (await api(server, "POST", "/api/rooms", { ttlHours: 0.0001 })).json; // 0.36 s
      const owner = { Authorization: `Bearer ${room.ownerToken}` };
      await sleep(Date.parse(room.expiresAt) + 60 - Date.now());
      kicked = (await api(server, "POST", `/api/rooms/${room.token}/kick`, { nickname: "alice" }, owner)).status;
      patched = (await api(server, "PATCH", `/api/rooms/${room.token}`, { ttlHours: 1 }, owner)).status;
      assert.ok([403, 410].includes(kicked) && [403, 410].includes(patched), `${kicked} ${patched}`);
    }
    assert.equal(patched, 410);
    assert.equal(kicked, 410);
  });

  test("GET /api/rooms/{token} of an ended room: 410 or 404", async () => {
    const token = await createRoom(server, { ttlHours: 0.0002 }); // 0.72 s
    await sleep(900);
    assert.ok([404, 410].includes((await api(server, "GET", `/api/rooms/${token}`)).status));
  });

  test("GET /api/messages/{roomToken}: 200 with limit and before, 400, 401, 403", async () => {
    const token = await createRoom(server);
    const [a] = await joinAll(server, "websocket", token, ["alice"]);
    open.push(a);
    const png = await upload(server, "dot.png", PNG, "image/png");
    const sent = [];
    sent.push((await emitAck(a, "send_message", { type: "TEXT", content: "one" })).message);
    sent.push((await emitAck(a, "send_message", { type: "IMAGE", attachments: [png.json.attachment] })).message);
    sent.push((await emitAck(a, "send_message", { type: "STICKER", content: "cat-1" })).message);
    const auth = { Authorization: `Bearer ${a.sessionToken}` };
    const all = await api(server, "GET", `/api/messages/${token}`, undefined, auth);
    assert.deepEqual(all.json.data, sent);
    assert.equal(all.json.data[1].content, null, "an IMAGE without a caption has content null");
    const paged = await api(server, "GET", `/api/messages/${token}?limit=1&before=${encodeURIComponent(sent[2].createdAt)}`, undefined, auth);
    assert.deepEqual(paged.json.data, [sent[1]]);
    assert.equal((await api(server, "GET", `/api/messages/${token}?limit=0`, undefined, auth)).status, 400);
    assert.equal((await api(server, "GET", `/api/messages/${token}?limit=x`, undefined, auth)).status, 400);
    assert.equal((await api(server, "GET", `/api/messages/${token}?before=yesterday`, undefined, auth)).status, 400);
    assert.equal((await api(server, "GET", `/api/messages/${token}`)).status, 401);
    assert.equal((await api(server, "GET", `/api/messages/${token}`, undefined, { Authorization: "Bearer " + "B".repeat(32) })).status, 401);
    assert.equal((await api(server, "GET", `/api/messages/${await createRoom(server)}`, undefined, auth)).status, 403);
  });

  test("POST /api/files/upload: 201 IMAGE and FILE, 400 NO_FILE and INVALID_FILE_TYPE, 413, 429", async () => {
    assert.equal((await upload(server, "dot.png", PNG, "image/png")).json.messageType, "IMAGE");
    assert.equal((await upload(server, "doc.pdf", PDF, "application/pdf")).json.messageType, "FILE");
    assert.equal((await upload(server, "page.html", Buffer.from("<html>"), "text/html")).json.error.code, "INVALID_FILE_TYPE");
    const notMultipart = await rawHttp(server, request("POST", "/api/files/upload", ["Content-Type: application/json", "Content-Length: 2", "Connection: close"], "{}"));
    assert.equal(notMultipart.status, 400);
    assert.equal(JSON.parse(notMultipart.body).error.code, "NO_FILE");
    const huge = await rawHttp(server, request("POST", "/api/files/upload",
      ["Content-Type: multipart/form-data; boundary=x", `Content-Length: ${3 << 20}`], "--x\r\n"));
    assert.equal(huge.status, 413);
    assert.equal(JSON.parse(huge.body).error.code, "FILE_TOO_LARGE");
    await upload(tight, "dot.png", PNG, "image/png");
    assert.equal((await upload(tight, "dot.png", PNG, "image/png")).status, 429);
  });

  test("GET /api/files/{fileName}: 200 with the stored type (GET and HEAD), 404; GET /api/files/message/{messageId}: 200, 404", async () => {
    const token = await createRoom(server);
    const [a] = await joinAll(server, "polling", token, ["filer"]);
    open.push(a);
    const pdf = (await upload(server, "doc.pdf", PDF, "application/pdf")).json.attachment;
    const path = new URL(pdf.url).pathname;
    const got = await checkedFetch(server, path);
    assert.equal(got.status, 200);
    assert.deepEqual(got.bytes, PDF);
    assert.equal(got.headers.get("content-type"), "application/pdf");
    const head = await checkedFetch(server, path, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.bytes.length, 0);
    assert.equal((await api(server, "GET", "/api/files/00000000-0000-0000-0000-000000000000.png")).status, 404);
    const message = (await emitAck(a, "send_message", { type: "FILE", content: "the doc", attachments: [pdf] })).message;
    const listed = await api(server, "GET", `/api/files/message/${message.id}`);
    assert.deepEqual(listed.json.attachments, [pdf]);
    assert.equal((await api(server, "GET", "/api/files/message/no-such-message")).status, 404);
  });

  test("GET /health and /api/health: 200; 403 from a foreign origin", async () => {
    assert.equal((await api(server, "GET", "/health")).json.status, "ok");
    assert.equal((await api(server, "GET", "/api/health")).json.status, "ok");
    assert.equal((await api(server, "GET", "/health", undefined, { Origin: FOREIGN })).status, 403);
    const head = await rawHttpAll(server, request("HEAD", "/health", ["Connection: close"]), { bodiless: [0] });
    assert.equal(head.responses[0].status, 200);
  });

  test("GET /api/openapi.json: 200 (GET and HEAD), the allowed origin's CORS header, 405 for POST", async () => {
    const allowed = await checkedFetch(server, "/api/openapi.json", { headers: { origin: ALLOWED } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get("access-control-allow-origin"), ALLOWED);
    assert.equal(allowed.headers.get("content-type"), "application/json; charset=utf-8");
    const head = await checkedFetch(server, "/api/openapi.json", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.bytes.length, 0);
    assert.equal((await api(server, "POST", "/api/openapi.json", {})).status, 405);
  });

  test("requests no operation describes: 404 unknown path, 405 other method, 204 preflight", async () => {
    for (const path of ["/api/nothing-here", "/api/rooms/ghost-zzzzzzzz/nothing", "/api", "/api/messages", "/nothing"]) {
      const res = await api(server, "GET", path);
      assert.equal(res.status, 404, path);
      assert.equal(res.json.error.code, "NOT_FOUND");
    }
    for (const [method, path] of [["PUT", "/api/rooms"], ["DELETE", "/api/rooms"], ["DELETE", "/api/rooms/public"], ["PATCH", "/api/rooms/public"],
      ["PUT", "/api/rooms/ghost-zzzzzzzz"], ["GET", "/api/rooms/ghost-zzzzzzzz/kick"], ["GET", "/api/files/upload"], ["POST", "/health"]]) {
      assert.equal((await api(server, method, path)).status, 405, `${method} ${path}`);
    }
    const preflight = await checkedFetch(server, "/api/rooms", {
      method: "OPTIONS", headers: { origin: ALLOWED, "access-control-request-method": "POST" },
    });
    assert.equal(preflight.status, 204);
    const patchPreflight = await checkedFetch(server, "/api/rooms/ghost-zzzzzzzz", {
      method: "OPTIONS", headers: { origin: ALLOWED, "access-control-request-method": "PATCH" },
    });
    assert.equal(patchPreflight.status, 204);
    assert.equal(patchPreflight.headers.get("access-control-allow-methods"),
      (await openapiOf(server)).doc.components.responses.Preflight.headers["Access-Control-Allow-Methods"].schema.const,
      "the methods the document says");
    assert.ok(patchPreflight.headers.get("access-control-allow-methods").split(", ").includes("PATCH"));
    const refused = await checkedFetch(server, "/api/rooms", { method: "OPTIONS", headers: { origin: FOREIGN, "access-control-request-method": "POST" } });
    assert.equal(refused.status, 403);
  });

  for (const [method, path] of AHEAD) {
    test(`${method.toUpperCase()} ${path} answers as documented once it is served`, async (t) => {
      const res = await fetch(server.url + path);
      const text = await res.text();
      if (res.status === 404 && text.includes('"NOT_FOUND"')) {
        t.skip(`${path} is not served on this branch yet (PROTOCOL.md "Operations")`);
        return;
      }
      await checkResponse(server, "GET", path, res.status, res.headers.get("content-type"), text);
    });
  }

  // Last: what the tests above provoked covers every operation the server serves.
  test("every served operation was exercised, with its success status", () => {
    for (const [method, template] of SERVED) {
      const ops = [...seen].filter((s) => s.startsWith(`${method.toUpperCase()} ${template} `));
      assert.ok(ops.some((s) => /\s2\d\d$/.test(s)), `${method.toUpperCase()} ${template} answered a 2xx: ${JSON.stringify(ops)}`);
    }
    for (const expected of ["GET /api/rooms 200", "HEAD /api/rooms 200", "POST /api/rooms 400", "POST /api/rooms 403", "POST /api/rooms 413", "POST /api/rooms 429",
      "GET /api/rooms/{token} 404", "GET /api/rooms/{token} 400", "GET /api/rooms/{token} 429",
      "GET /api/rooms/{token}/validate 403", "GET /api/rooms/{token}/validate 404", "GET /api/rooms/{token}/validate 429",
      "POST /api/rooms/{token}/join 400", "POST /api/rooms/{token}/join 403", "POST /api/rooms/{token}/join 404",
      "POST /api/rooms/{token}/join 409", "POST /api/rooms/{token}/join 429", "POST /api/rooms/{token}/join 401",
      "PATCH /api/rooms/{token} 400", "PATCH /api/rooms/{token} 403", "PATCH /api/rooms/{token} 410",
      "PATCH /api/rooms/{token} 413", "PATCH /api/rooms/{token} 429",
      "DELETE /api/rooms/{token} 400", "DELETE /api/rooms/{token} 403", "DELETE /api/rooms/{token} 413",
      "DELETE /api/rooms/{token} 429",
      "POST /api/rooms/{token}/kick 400", "POST /api/rooms/{token}/kick 403", "POST /api/rooms/{token}/kick 404",
      "POST /api/rooms/{token}/kick 410", "POST /api/rooms/{token}/kick 413", "POST /api/rooms/{token}/kick 429",
      "GET /api/messages/{roomToken} 400", "GET /api/messages/{roomToken} 401", "GET /api/messages/{roomToken} 403",
      "POST /api/files/upload 400", "POST /api/files/upload 413", "POST /api/files/upload 429",
      "GET /api/files/{fileName} 404", "GET /api/files/message/{messageId} 404", "GET /health 403", "HEAD /health 200",
      "HEAD /api/files/{fileName} 200", "HEAD /api/openapi.json 200"]) {
      assert.ok(seen.has(expected), `${expected} was checked`);
    }
    for (const why of ["unknown path", "method not served by", "preflight"]) {
      assert.ok([...seen].some((s) => s.includes(`(${why}`)), why);
    }
  });
});

describe("checkResponse refuses what the document does not allow", () => {
  let checker;
  before(async () => { checker = await openapiOf(server); });
  const JSON_TYPE = "application/json; charset=utf-8";
  const room = { token: "ghost-abc12345", name: "x", isPublic: false, expiresAt: "2026-11-25T10:00:00.000Z", participantCount: 0, createdAt: "2026-11-25T09:00:00.000Z" };
  const message = { id: "m1", type: "FILE", content: null, nickname: "alice", createdAt: "2026-11-25T10:00:00.000Z", attachments: [] };
  const refuses = (args, pattern) => assert.throws(() => checker.check(...args), pattern);

  test("accepts the shapes the server sends (the refusals below are of one change each)", () => {
    checker.check("GET", "/api/rooms/ghost-abc12345", 200, JSON_TYPE, { success: true, data: room });
    checker.check("GET", "/api/rooms/ghost-abc12345", 200, JSON_TYPE, { success: true, data: { ...room, name: undefined } });
    checker.check("GET", "/api/rooms/ghost-abc12345", 200, JSON_TYPE,
      { success: true, data: { ...room, hasPassword: true, locked: true, vanishWhenEmpty: true } });
    checker.check("PATCH", "/api/rooms/ghost-abc12345", 200, JSON_TYPE, { success: true, data: { ...room, locked: true } });
    checker.check("POST", "/api/rooms", 201, JSON_TYPE,
      { success: true, data: { token: room.token, expiresAt: room.expiresAt, ownerToken: "A".repeat(32) } });
    checker.check("GET", "/api/messages/ghost-abc12345", 200, JSON_TYPE, { success: true, data: [message] });
    checker.check("GET", "/api/rooms/ghost-abc12345", 429, JSON_TYPE,
      { success: false, error: { message: "Too many requests, slow down", code: "RATE_LIMIT_EXCEEDED", retryAfter: 3 } });
    checker.check("GET", "/health", 503, JSON_TYPE,
      { status: "degraded", timestamp: "2026-11-25T10:00:00.000Z", uptime: 1.5, service: "GhostRooms Backend", version: "0.1.0" });
  });

  test("an extra field, a null for an omitted field, a missing field, a wrong type", () => {
    refuses(["GET", "/api/rooms/ghost-abc12345", 200, JSON_TYPE, { success: true, data: { ...room, owner: "x" } }], /additional properties/);
    refuses(["GET", "/api/rooms/ghost-abc12345", 200, JSON_TYPE, { success: true, data: { ...room, name: null } }], /\/data\/name must be string/);
    refuses(["GET", "/api/rooms/ghost-abc12345", 200, JSON_TYPE, { success: true, data: { ...room, createdAt: undefined } }], /required property 'createdAt'/);
    refuses(["GET", "/api/rooms/ghost-abc12345", 200, JSON_TYPE, { success: true, data: { ...room, participantCount: "0" } }], /must be integer/);
    refuses(["GET", "/api/rooms/ghost-abc12345", 200, JSON_TYPE, { success: true, data: { ...room, expiresAt: "2026-11-25T10:00:00Z" } }], /must match pattern/);
    refuses(["GET", "/api/messages/ghost-abc12345", 200, JSON_TYPE, { success: true, data: [{ ...message, attachments: undefined }] }], /attachments/);
    refuses(["GET", "/api/rooms/ghost-abc12345/validate", 200, JSON_TYPE, { success: true, message: "Room is valid", data: null }], /additional properties/);
    refuses(["GET", "/api/rooms/ghost-abc12345", 200, JSON_TYPE, { success: true, data: { ...room, locked: false } }], /must be equal to constant/);
    refuses(["POST", "/api/rooms", 201, JSON_TYPE, { success: true, data: { token: room.token, expiresAt: room.expiresAt, ownerToken: "short" } }], /must match pattern/);
    refuses(["DELETE", "/api/rooms/ghost-abc12345", 200, JSON_TYPE, { success: true, message: "Member removed" }], /must be equal to constant/);
    refuses(["POST", "/api/rooms/ghost-abc12345/kick", 404, JSON_TYPE, { success: false, error: { message: "Room not found", code: "ROOM_NOT_FOUND" } }], /must be equal to constant/);
  });

  test("the legacy ChatBackEnd shapes: accepted as sent, refused one change away", () => {
    const uuid = "3f2b8c1e-7a4d-4e1b-9c0a-5d6e7f809a1b";
    const user = { id: "u-1", username: "Ann", createdAt: room.createdAt, updatedAt: room.createdAt };
    const legacyRoom = { id: uuid, name: "General", createdAt: room.createdAt, updatedAt: room.createdAt,
      users: [{ id: uuid, userId: "u-1", roomId: uuid, joinedAt: room.createdAt, user }] };
    const legacyMessage = { id: uuid, content: "hi", userId: "u-1", roomId: uuid, createdAt: room.createdAt, user };
    checker.check("GET", "/api/rooms", 200, JSON_TYPE, { success: true, rooms: [{ ...legacyRoom, _count: { messages: 0, users: 1 } }] });
    checker.check("GET", `/api/rooms/${uuid}`, 200, JSON_TYPE, { success: true, room: { ...legacyRoom, messages: [legacyMessage] } });
    checker.check("GET", `/api/rooms/${uuid}`, 200, JSON_TYPE,
      { success: true, room: { ...legacyRoom, messages: [{ ...legacyMessage, user: { id: "u-2", username: "Gone" } }] } });
    checker.check("GET", `/api/rooms/${uuid}`, 404, JSON_TYPE, { success: false, error: "Room not found" });
    refuses(["GET", "/api/rooms", 200, JSON_TYPE, { success: true, data: [] }], /required property 'rooms'/);
    refuses(["GET", "/api/rooms", 200, JSON_TYPE, { success: true, rooms: [{ ...legacyRoom, _count: { messages: "0", users: 1 } }] }], /must be integer/);
    refuses(["GET", `/api/rooms/${uuid}`, 200, JSON_TYPE, { success: true, room: { ...legacyRoom, id: "ghost-abc12345" } }], /must match format "uuid"/);
    refuses(["GET", `/api/rooms/${uuid}`, 200, JSON_TYPE, { success: true, room: { ...legacyRoom, messages: [{ ...legacyMessage, userId: undefined }] } }], /required property 'userId'/);
    refuses(["GET", `/api/rooms/${uuid}`, 404, JSON_TYPE, { success: false, error: "Not here" }], /must be equal to constant/);
  });

  test("an undocumented status, content type or error code, a 429 without retryAfter, a body that is not JSON", () => {
    refuses(["GET", "/api/rooms/public", 418, JSON_TYPE, { success: false, error: { message: "x", code: "NOT_FOUND" } }], /status not documented/);
    refuses(["GET", "/api/rooms/public", 200, "text/html", "<html>"], /content type not documented/);
    refuses(["GET", "/api/rooms/ghost-abc12345", 404, JSON_TYPE, { success: false, error: { message: "Not found", code: "NOT_FOUND" } }], /must be equal to constant/);
    refuses(["POST", "/api/rooms", 400, JSON_TYPE, { success: false, error: { message: "x", code: "INVALID_NICKNAME" } }], /allowed values/);
    refuses(["GET", "/api/rooms/ghost-abc12345", 429, JSON_TYPE, { success: false, error: { message: "x", code: "RATE_LIMIT_EXCEEDED" } }], /retryAfter/);
    refuses(["GET", "/api/rooms/ghost-abc12345", 404, JSON_TYPE, { success: false, error: { message: "Room not found", code: "ROOM_NOT_FOUND", retryAfter: 1 } }], /additional properties/);
    refuses(["GET", "/api/rooms/public", 200, JSON_TYPE, "{not json"], /not JSON/);
    refuses(["GET", "/api/files/abc.png", 200, "text/html", "<html>"], /content type not documented/);
    refuses(["GET", "/api/nothing-here", 405, JSON_TYPE, { success: false, error: { message: "x", code: "METHOD_NOT_ALLOWED" } }], /status not documented/);
    refuses(["DELETE", "/api/rooms/public", 404, JSON_TYPE, { success: false, error: { message: "x", code: "NOT_FOUND" } }], /status not documented/);
  });

  test("the helpers fail the calling test on a mismatch, naming path, status and the errors", async () => {
    // A document that wrongly says a room's participantCount is a string: the real answer no longer matches it.
    const wrong = structuredClone(checker.doc);
    wrong.components.schemas.RoomInfo.properties.participantCount = { type: "string" };
    const misdocumented = { ...server };
    useDocument(misdocumented, wrong);
    const token = await createRoom(misdocumented);
    await assert.rejects(api(misdocumented, "GET", `/api/rooms/${token}`),
      (e) => e.message.includes(`GET /api/rooms/${token} answered 200 application/json; charset=utf-8`)
        && e.message.includes("/data/participantCount must be string") && e.message.includes("documented as GET /api/rooms/{token}"));
    // And an answer with a status the document does not give that operation.
    delete wrong.paths["/api/rooms/{token}"].get.responses["404"];
    useDocument(misdocumented, wrong);
    await assert.rejects(api(misdocumented, "GET", "/api/rooms/ghost-zzzzzzzz"), /answered 404 .*a status not documented/);
    // And an error code the document does not give that operation with that status (upload).
    const codes = wrong.paths["/api/files/upload"].post.responses["400"].content["application/json"].schema.properties.error.properties.code;
    codes.enum = codes.enum.filter((c) => c !== "INVALID_FILE_TYPE");
    useDocument(misdocumented, wrong);
    await assert.rejects(upload(misdocumented, "dot.gif", PNG, "image/gif"),
      /POST \/api\/files\/upload answered 400 .*\/error\/code must be equal to one of the allowed values/);
  });

  test("concrete paths find their templates; literal segments win", () => {
    assert.equal(checker.templateOf("/api/rooms/ghost-abc12345/join"), "/api/rooms/{token}/join");
    assert.equal(checker.templateOf("/api/rooms/ghost-abc12345/kick"), "/api/rooms/{token}/kick");
    assert.equal(checker.templateOf("/api/rooms/public?x=1"), "/api/rooms/public");
    assert.equal(checker.templateOf("/api/files/upload"), "/api/files/upload");
    assert.equal(checker.templateOf("/api/files/abc.png"), "/api/files/{fileName}");
    assert.equal(checker.templateOf("/api/files/message/m1"), "/api/files/message/{messageId}");
    assert.equal(checker.templateOf("/api/rooms/a/b/c"), null);
  });
});
