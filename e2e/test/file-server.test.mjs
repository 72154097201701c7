// Attachments stored on a DUFS-compatible HTTP file server (a real nginx with WebDAV PUT/DELETE)
// instead of the local directory: same upload, send, download and deletion contract.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startServer } from "../lib/server.mjs";
import { nginxAvailable, startNginxDav } from "../lib/nginx.mjs";
import { api, createRoom, emitAck, joinAll, PDF, PNG, upload, waitFor } from "../lib/client.mjs";

if (!nginxAvailable() && process.env.CI === "true") {
  throw new Error("nginx is required for the HTTP file-server tests with CI=true");
}

describe("attachments on the HTTP file server", { skip: !nginxAvailable() && "nginx not installed" }, () => {
  let nginx;
  let server;
  const open = [];
  before(async () => {
    nginx = await startNginxDav();
    server = await startServer({ FILE_SERVER_URL: nginx.url, RATE_LIMIT_MESSAGES_PER_MINUTE: "1000" });
  });
  after(async () => {
    open.forEach((s) => s.close());
    await server?.stop();
    await nginx?.stop();
  });

  const stored = () => readdirSync(nginx.data);

  test("an uploaded PNG and PDF land on the file server and reach the other member byte-identical", async () => {
    const token = await createRoom(server);
    const [a, b] = await joinAll(server, "websocket", token, ["alice", "bob"]);
    open.push(a, b);
    const png = await upload(server, "dot.png", PNG, "image/png");
    const pdf = await upload(server, "doc.pdf", PDF, "application/pdf");
    assert.equal(png.status, 201);
    assert.equal(pdf.status, 201);
    for (const u of [png, pdf]) {
      assert.match(u.json.attachment.url, new RegExp(`^http://localhost:${server.port}/api/files/[^/]+$`),
        "clients get this server's URL (PUBLIC_URL), never the file server's");
    }
    const names = [png, pdf].map((u) => u.json.attachment.url.split("/").pop());
    assert.deepEqual(names.map((n) => readFileSync(join(nginx.data, n))), [PNG, PDF]);

    a.emit("send_message", { type: "IMAGE", content: "a dot", attachments: [png.json.attachment] });
    const image = await waitFor(b, "new_message", (m) => m.type === "IMAGE");
    assert.deepEqual(Buffer.from(await (await fetch(image.attachments[0].url)).arrayBuffer()), PNG);
    a.emit("send_message", { type: "FILE", attachments: [pdf.json.attachment] });
    const file = await waitFor(b, "new_message", (m) => m.type === "FILE");
    const download = await fetch(file.attachments[0].url);
    assert.equal(download.status, 200);
    assert.match(download.headers.get("content-disposition") ?? "", /attachment/);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), PDF);
  });

  test("deleting the message deletes its file on the file server", async () => {
    const token = await createRoom(server);
    const [a] = await joinAll(server, "websocket", token, ["alice"]);
    open.push(a);
    const png = await upload(server, "gone.png", PNG, "image/png");
    const name = png.json.attachment.url.split("/").pop();
    const message = (await emitAck(a, "send_message", { type: "IMAGE", attachments: [png.json.attachment] })).message;
    assert.ok(stored().includes(name));
    a.emit("delete_message", { messageId: message.id });
    await waitFor(a, "message_deleted");
    for (let i = 0; i < 30 && existsSync(join(nginx.data, name)); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!stored().includes(name), "the file server no longer has the file");
    assert.equal((await fetch(png.json.attachment.url)).status, 404);
  });

  test("an expired room's files are deleted from the file server", async () => {
    const token = await createRoom(server, { ttlHours: 0.001 });
    const [a] = await joinAll(server, "websocket", token, ["alice"]);
    open.push(a);
    const pdf = await upload(server, "kept.pdf", PDF, "application/pdf");
    const name = pdf.json.attachment.url.split("/").pop();
    assert.equal((await emitAck(a, "send_message", { type: "FILE", attachments: [pdf.json.attachment] })).ok, true);
    await waitFor(a, "room_closed", () => true, 15_000);
    for (let i = 0; i < 50 && existsSync(join(nginx.data, name)); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!stored().includes(name));
    assert.equal((await api(server, "GET", `/api/rooms/${token}`)).status >= 400, true);
  });
});
