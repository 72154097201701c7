// Helpers around REST and the real socket.io-client.
import { io } from "socket.io-client";
import { checkResponse } from "./openapi.mjs";

export const TRANSPORTS = {
  websocket: ["websocket"],
  polling: ["polling"],
  upgrade: ["polling", "websocket"],
};

export async function api(server, method, path, body, headers = {}) {
  const res = await fetch(server.url + path, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not json */ }
  // Every REST answer must be one the server's OpenAPI document gives (lib/openapi.mjs).
  await checkResponse(server, method, path, res.status, res.headers.get("content-type"), text);
  return { status: res.status, json, text };
}

export async function createRoom(server, body = {}) {
  const res = await api(server, "POST", "/api/rooms", body);
  if (res.status !== 201) throw new Error("create room failed: " + res.text);
  return res.json.data.token;
}

export async function joinRest(server, roomToken, nickname) {
  const res = await api(server, "POST", `/api/rooms/${roomToken}/join`, { nickname });
  if (res.status !== 201) throw new Error("join failed: " + res.text);
  return res.json.data.sessionToken;
}

export function connect(server, transport) {
  const socket = io(server.url, { transports: TRANSPORTS[transport], forceNew: true, reconnection: false });
  socket.events = [];
  socket.onAny((event, ...args) => socket.events.push({ event, args }));
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("connect timeout")), 10_000);
    socket.once("connect", () => { clearTimeout(timer); ok(socket); });
    socket.once("connect_error", (e) => { clearTimeout(timer); fail(e); });
  });
}

/**
 * Resolves with the first payload of `event` (already received or future) matching the predicate.
 * The timeout only bounds a failing wait: generous, because a fresh-clone CI run with both cores
 * busy once took over 5 s to deliver a room_joined that normally takes milliseconds.
 */
export function waitFor(socket, event, predicate = () => true, timeoutMs = 15_000) {
  const seen = socket.events.find((e) => e.event === event && predicate(e.args[0]));
  if (seen) {
    socket.events.splice(socket.events.indexOf(seen), 1);
    return Promise.resolve(seen.args[0]);
  }
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      socket.offAny(handler);
      fail(new Error(`timeout waiting for '${event}'; got: ${JSON.stringify(socket.events.map((e) => e.event))}`));
    }, timeoutMs);
    const handler = (name, payload) => {
      if (name === event && predicate(payload)) {
        clearTimeout(timer);
        socket.offAny(handler);
        const i = socket.events.findIndex((e) => e.event === event && e.args[0] === payload);
        if (i >= 0) socket.events.splice(i, 1);
        ok(payload);
      }
    };
    socket.onAny(handler);
  });
}

/** Resolves once fn() is truthy; fails after timeoutMs. Waits for a state, never for a time. */
export async function eventually(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Asserts no `event` arrives within ms. */
export async function expectNone(socket, event, ms = 600) {
  await new Promise((r) => setTimeout(r, ms));
  const got = socket.events.filter((e) => e.event === event);
  if (got.length) throw new Error(`unexpected '${event}': ${JSON.stringify(got[0].args[0])}`);
}

export function emitAck(socket, event, payload, timeoutMs = 15_000) {
  return socket.timeout(timeoutMs).emitWithAck(event, payload);
}

/** Creates sessions over REST and joins them over Socket.IO; returns the sockets. */
export async function joinAll(server, transport, roomToken, nicknames) {
  const sockets = [];
  for (const nickname of nicknames) {
    const sessionToken = await joinRest(server, roomToken, nickname);
    const socket = await connect(server, transport);
    socket.sessionToken = sessionToken;
    socket.nickname = nickname;
    socket.emit("join_room", { roomToken, sessionToken });
    socket.joined = await waitFor(socket, "room_joined");
    sockets.push(socket);
  }
  return sockets;
}

export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
export const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

export async function upload(server, fileName, bytes, type = "application/octet-stream") {
  const form = new FormData();
  form.append("file", new Blob([bytes], { type }), fileName);
  const res = await fetch(server.url + "/api/files/upload", { method: "POST", body: form });
  const text = await res.text();
  await checkResponse(server, "POST", "/api/files/upload", res.status, res.headers.get("content-type"), text);
  return { status: res.status, json: JSON.parse(text) };
}
