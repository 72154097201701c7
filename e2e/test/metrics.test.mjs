// GET /metrics (PROTOCOL.md "Operations"): Prometheus text with the named metrics, counting a real
// chat, never a token, nickname or content, and only for loopback unless METRICS_PUBLIC=true.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { networkInterfaces } from "node:os";
import { freePort, GENEROUS, startServer } from "../lib/server.mjs";
import { api, connect, createRoom, emitAck, joinAll, waitFor } from "../lib/client.mjs";

/** An address of this machine that is not loopback, or null: requests to it come from "another host". */
const outside = Object.values(networkInterfaces()).flat().find((a) => a.family === "IPv4" && !a.internal)?.address ?? null;

const scrape = async (url) => {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
};

/** The value of one series, e.g. value(text, 'ghostrooms_errors_total{code="NOT_IN_ROOM"}'); NaN when absent. */
function value(text, series) {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line ? Number(line.slice(series.length + 1)) : NaN;
}

describe("/metrics on the server's port", () => {
  let server;
  const open = [];
  before(async () => { server = await startServer(GENEROUS); });
  after(async () => {
    open.forEach((s) => s.close());
    await server?.stop();
  });

  test("after a chat, the named metrics are there with the counts of that chat", async () => {
    const token = await createRoom(server, { name: "Metered", isPublic: true });
    const sockets = await joinAll(server, "websocket", token, ["meter-a", "meter-b"]);
    const [poller] = await joinAll(server, "polling", token, ["meter-c"]);
    open.push(...sockets, poller);
    const [a] = sockets;
    for (let i = 0; i < 5; i++) assert.equal((await emitAck(a, "send_message", { type: "TEXT", content: `counted ${i}` })).ok, true);
    await waitFor(poller, "new_message", (m) => m.content === "counted 4");
    const outsider = await connect(server, "websocket");
    open.push(outsider);
    outsider.emit("send_message", { type: "TEXT", content: "nowhere" });
    assert.equal((await waitFor(outsider, "error")).code, "NOT_IN_ROOM");
    assert.equal((await api(server, "GET", "/api/rooms/ghost-00000000")).status, 404);

    const m = await scrape(`${server.url}/metrics`);
    assert.equal(m.status, 200);
    assert.match(m.type, /^text\/plain; version=0\.0\.4/);
    assert.ok(value(m.text, "ghostrooms_messages_stored_total") >= 5);
    // 5 messages to 3 members, plus joins and acks: every recipient counts.
    assert.ok(value(m.text, "ghostrooms_deliveries_total") >= 15);
    assert.ok(value(m.text, 'ghostrooms_events_received_total{event="send_message"}') >= 6);
    assert.ok(value(m.text, 'ghostrooms_events_received_total{event="join_room"}') >= 3);
    assert.ok(value(m.text, 'ghostrooms_errors_total{code="NOT_IN_ROOM"}') >= 1);
    assert.ok(value(m.text, 'ghostrooms_errors_total{code="ROOM_NOT_FOUND"}') >= 1);
    assert.ok(value(m.text, 'ghostrooms_connections{transport="websocket"}') >= 3);
    assert.ok(value(m.text, 'ghostrooms_connections{transport="polling"}') >= 1);
    assert.ok(value(m.text, "ghostrooms_rooms_active") >= 1);
    assert.ok(value(m.text, "ghostrooms_message_commit_seconds_count") >= 1);
    assert.ok(value(m.text, "ghostrooms_fanout_seconds_count") >= 1);
    assert.ok(Number.isFinite(value(m.text, "ghostrooms_db_pool_active")));
    for (const family of ["jvm_memory_used_bytes", "jvm_gc_pause_seconds", "jvm_threads_live_threads",
      "process_cpu_usage", "process_files_open_files", "netty_eventexecutor_tasks_pending", "netty_allocator_memory_used"]) {
      assert.ok(m.text.includes(family), family);
    }
  });

  test("a scrape never shows a token, nickname, room name or message content", async () => {
    const token = await createRoom(server, { name: "SecretRoomName", isPublic: true });
    const [a, b] = await joinAll(server, "websocket", token, ["SecretNick", "OtherNick"]);
    open.push(a, b);
    a.emit("set_username", { username: "SecretUser" });
    await waitFor(a, "username_set");
    await emitAck(a, "send_message", { type: "TEXT", content: "secret-content-7f3a", clientId: "secret-client" });
    const { text } = await scrape(`${server.url}/metrics`);
    for (const secret of [token, a.sessionToken, b.sessionToken, "SecretRoomName", "SecretNick", "OtherNick", "SecretUser",
      "secret-content-7f3a", "secret-client", "127.0.0.1"]) {
      assert.ok(!text.includes(secret), `the scrape holds ${secret}`);
    }
    assert.doesNotMatch(text, /ghost-[a-z0-9]{8}|[A-Za-z0-9]{32}/);
  });

  test("it answers loopback only: another host gets 403", { skip: !outside && "no non-loopback address here" }, async () => {
    const res = await scrape(`http://${outside}:${server.port}/metrics`);
    assert.equal(res.status, 403);
    assert.equal(JSON.parse(res.text).error.code, "FORBIDDEN");
    assert.equal((await scrape(`http://${outside}:${server.port}/health`)).status, 200, "the rest of the port is served");
  });
});

describe("/metrics with METRICS_PUBLIC or METRICS_PORT", () => {
  test("METRICS_PUBLIC=true answers other hosts too", { skip: !outside && "no non-loopback address here" }, async () => {
    const server = await startServer({ ...GENEROUS, METRICS_PUBLIC: "true" });
    try {
      assert.equal((await scrape(`http://${outside}:${server.port}/metrics`)).status, 200);
    } finally {
      await server.stop();
    }
  });

  test("METRICS_PORT serves it on that port (loopback only) and not on PORT", async () => {
    const metricsPort = await freePort();
    const server = await startServer({ ...GENEROUS, METRICS_PORT: String(metricsPort) });
    try {
      const own = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
      assert.equal(own.status, 200);
      assert.ok(own.text.includes("ghostrooms_connections"));
      assert.equal((await scrape(`${server.url}/metrics`)).status, 404);
      if (outside) {
        await assert.rejects(fetch(`http://${outside}:${metricsPort}/metrics`), "not even a connection from another host");
      }
    } finally {
      await server.stop();
    }
  });
});
