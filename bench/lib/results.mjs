// Renders bench/RESULTS.md from the JSON lines of one run-matrix.sh run (used by run-matrix.sh;
// runnable by hand on any matrix-*.jsonl: node lib/results.mjs --jsonl F --machine M --commands C --out O).
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values: a } = parseArgs({
  options: {
    jsonl: { type: "string" }, machine: { type: "string" }, commands: { type: "string" },
    quick: { type: "string", default: "0" }, elapsed: { type: "string", default: "" }, out: { type: "string" },
    notes: { type: "string" },
  },
});
const quick = a.quick === "1";
const lines = readFileSync(a.jsonl, "utf8").split("\n").filter(Boolean).map((l) => {
  try { return JSON.parse(l); } catch { return null; }
}).filter(Boolean);
const results = lines.filter((l) => l.type === "result");
const samples = lines.filter((l) => l.type === "sample");
const machine = a.machine ? readFileSync(a.machine, "utf8").trim() : "";
const commands = a.commands ? readFileSync(a.commands, "utf8").trim() : "";

const P99_MS = 50;
const STORM_JOINS = 1000;
// The targets of issue 6 (the Node original's numbers in brackets)
const CHAT_P99_MS = 10; // (a) [17 ms]
const B_DELIVERIES = 30_000; // (b) on PostgreSQL, p99 <= 50 ms, zero loss [< 10,000]
const B_PG_SHARE = 0.7; // (b) PostgreSQL >= 70 % of the in-memory ceiling
const IDLE_CONNS = 20_000; // (d) joined websocket connections...
const IDLE_RSS_MB = 400; // ...with server RSS <= 400 MB (<= 20 KB per connection) [16-21 KB]
const short = (measured, target) => (measured >= target ? "" : ` (${Math.round((1 - measured / target) * 100)} % short)`);
const DB = { postgresql: "PostgreSQL", "embedded-h2": "embedded H2", "embedded-h2+persistence-off": "in-memory (persistence off)", "postgresql+persistence-off": "in-memory (persistence off)", pg: "PostgreSQL", h2: "embedded H2", mem: "in-memory (persistence off)" };
const db = (r) => DB[r.db] ?? r.db ?? "?";
const f = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? "–" : typeof x === "number" ? (Number.isInteger(x) ? x.toLocaleString("en-US") : x.toFixed(d)) : String(x));
const errs = (e) => (e && Object.keys(e).length ? Object.entries(e).map(([k, v]) => `${k}: ${v}`).join(", ") : "0");
const by = (label) => results.filter((r) => r.label === label);
const table = (head, rows) => rows.length === 0 ? "_no run_\n" : [
  `| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`),
].join("\n") + "\n";
const failedRow = (r, width) => [db(r), `**failed: ${String(r.error).split("\n")[0].slice(0, 160)}**`, ...Array(width - 2).fill("")];

const targets = []; // [scenario, target, row, met (true/false/null), measured]
const target = (scenario, what, r, met, measured) => targets.push([scenario, what, r ? `${db(r)}${r.params?.transport === "polling" ? ", polling" : ""}` : "–", met, measured]);

// --- chat (a), (c), (f-a) ---------------------------------------------------------------------------
function chatTable(label, title) {
  const rows = by(label);
  const head = ["database", "transport", "rooms×members, senders×rate", "sent", "delivered / expected", "lost", "dup", "deliveries/s",
    "p50 ms", "p99 ms", "p99.9 ms", "max ms", "ack p99 ms", "errors", "connect fail", "server CPU %", "server RSS MB", "heap MB (after GC)", "threads", "client CPU %"];
  const body = rows.map((r) => r.error ? failedRow(r, head.length) : [
    db(r), r.params.transport, `${r.params.rooms}×${r.params.members}, ${r.params.senders}×${r.params.rate}/s`,
    f(r.sent), `${f(r.delivered)} / ${f(r.expected)}`, f(r.lost), f(r.duplicated), f(r.deliveriesPerSec),
    f(r.latencyMs?.p50, 2), f(r.latencyMs?.p99, 2), f(r.latencyMs?.p999, 2), f(r.latencyMs?.max, 1), f(r.ackLatencyMs?.p99, 2),
    errs(r.errors), f(r.connectFailures), f(r.serverCpuPct), f(r.serverMem?.rssMB), f(r.serverMem?.heapMB), f(r.serverMem?.threads), f(r.clientCpuPct),
  ]);
  for (const r of rows) {
    if (r.error) { target(label, "run completes", r, false, "failed"); continue; }
    const exact = r.lost === 0 && r.duplicated === 0 && r.delivered === r.expected && r.connectFailures === 0 && r.errorCount === 0 && r.sent > 0;
    target(label, "every message delivered once to every member (delivered = expected, 0 lost, 0 duplicated, 0 errors)", r, exact,
      `${f(r.delivered)}/${f(r.expected)}, lost ${f(r.lost)}, dup ${f(r.duplicated)}, errors ${f(r.errorCount)}`);
    const bound = label === "a" ? CHAT_P99_MS : P99_MS;
    const p99 = r.latencyMs?.p99 ?? Infinity;
    target(label, `p99 ≤ ${bound} ms${label === "a" ? " (issue 6; the Node original: 17 ms)" : ""}`, r, quick ? null : p99 <= bound,
      `${f(r.latencyMs?.p99, 2)} ms${p99 > bound && Number.isFinite(p99) ? ` (over by ${f(p99 - bound, 2)} ms)` : ""}`);
  }
  return `### ${title}\n\n${table(head, body)}`;
}

// --- search (b), (f-b) ------------------------------------------------------------------------------
function searchTable(label, title) {
  const rows = by(label);
  const head = ["database", "transport", "rooms×members, senders", "max rate per sender", "msg/s", "deliveries/s", "p50 ms", "p99 ms", "ack p99 ms",
    "server CPU %", "client CPU %", "first failing step", "steps (rate: p99 ms, ✓/✗)"];
  const body = rows.map((r) => r.error ? failedRow(r, head.length) : [
    db(r), r.params.transport, `${r.params.rooms}×${r.params.members}, ${r.params.senders}`,
    r.maxSustainable ? f(r.maxSustainable.ratePerSender, 2) : "none", f(r.maxSustainable?.msgsPerSec), f(r.maxSustainable?.deliveriesPerSec),
    r.maxSustainable ? f(r.latencyMs?.p50, 2) : "–", r.maxSustainable ? f(r.latencyMs?.p99, 2) : "–", r.maxSustainable ? f(r.ackLatencyMs?.p99, 2) : "–",
    r.maxSustainable ? f(r.serverCpuPct) : "–", r.maxSustainable ? f(r.clientCpuPct) : "–",
    r.firstFailing ? `${f(r.firstFailing.ratePerSender, 2)}/s: ${r.firstFailing.reasons.join("; ").slice(0, 120)}` : "none (stopped at --max-steps)",
    (r.steps ?? []).map((s) => `${f(s.rate, 2)}: ${f(s.p99, 1)} ${s.pass ? "✓" : "✗"}`).join(", "),
  ]);
  for (const r of rows) {
    if (r.error) { target(label, "run completes", r, false, "failed"); continue; }
    const s0 = (r.steps ?? [])[0];
    if (s0) {
      target(label, `first step (${f(s0.rate, 2)} msg/s per sender): every message delivered once (0 lost, 0 duplicated)`, r,
        s0.lost === 0 && (s0.duplicated ?? 0) === 0, `lost ${f(s0.lost)}, dup ${f(s0.duplicated)}`);
    }
    target(label, `a sustainable rate exists (p99 ≤ ${r.targetP99Ms} ms, 0 lost, 0 errors); the best is reported`, r,
      quick ? null : r.maxSustainable !== null,
      r.maxSustainable ? `${f(r.maxSustainable.msgsPerSec)} msg/s = ${f(r.maxSustainable.deliveriesPerSec)} deliveries/s (p99 ${f(r.maxSustainable.p99, 2)} ms)` : `none (first step: ${r.firstFailing?.reasons?.join("; ")})`);
  }
  if (label === "b" && !quick) {
    const best = (name) => rows.find((r) => !r.error && db(r) === name)?.maxSustainable?.deliveriesPerSec ?? 0;
    const pg = best("PostgreSQL");
    const ceiling = best("in-memory (persistence off)");
    if (rows.some((r) => db(r) === "PostgreSQL")) {
      target("b", `≥ ${f(B_DELIVERIES)} deliveries/s with p99 ≤ ${P99_MS} ms and zero loss (issue 6; the Node original: < 10,000)`,
        rows.find((r) => db(r) === "PostgreSQL"), pg >= B_DELIVERIES, `${f(pg)} deliveries/s${short(pg, B_DELIVERIES)}`);
    }
    if (pg && ceiling) {
      target("b", `PostgreSQL ≥ ${B_PG_SHARE * 100} % of the in-memory ceiling (issue 6)`, null, pg >= B_PG_SHARE * ceiling,
        `${f(pg)} / ${f(ceiling)} = ${Math.round((pg / ceiling) * 100)} %`);
    }
  }
  return `### ${title}\n\n${table(head, body)}`;
}

// --- idle (d) ---------------------------------------------------------------------------------------
function idleTable() {
  const rows = by("d");
  const head = ["database", "permessage-deflate", "connections asked", "connected (after hold)", "failures", "joins/s", "join p50 ms", "join p99 ms", "server CPU % joining / idle",
    "RSS MB before → after", "RSS KB/conn", "heap MB after GC, before → after", "heap KB/conn", "threads", "fds"];
  const body = rows.map((r) => r.error ? failedRow(r, head.length) : [
    db(r), r.params?.deflate === false ? "off" : "offered", f(r.target), f(r.connected), f(r.connectFailures) + (r.disconnects ? `, ${r.disconnects} dropped` : ""), f(r.joinsPerSec), f(r.joinMs?.p50, 1), f(r.joinMs?.p99, 1),
    `${f(r.serverCpuPctJoining)} / ${f(r.serverCpuPctIdle)}`, `${f(r.baseline?.rssMB)} → ${f(r.serverMem?.rssMB)}`, f(r.rssPerConnKB),
    `${f(r.baseline?.heapMB)} → ${f(r.serverMem?.heapMB)}`, f(r.heapPerConnKB), f(r.serverMem?.threads), f(r.serverMem?.fds),
  ]);
  for (const r of rows) {
    if (r.error) { target("d", "run completes", r, false, "failed"); continue; }
    target("d", `${f(r.target)} idle websocket connections${r.params?.deflate === false ? " (no permessage-deflate)" : ""} all joined and still connected after ${r.holdS} s`, r,
      r.connected === r.target && r.connectFailures === 0 && r.disconnects === 0,
      `${f(r.connected)} connected, ${f(r.connectFailures)} failed; ${f(r.rssPerConnKB)} KB RSS/conn`);
  }
  for (const name of new Set(rows.filter((r) => !r.error).map(db))) {
    const top = rows.filter((r) => !r.error && db(r) === name).sort((x, y) => y.target - x.target)[0];
    if (!top || quick) continue;
    // A level below 20k (open-files limit) is extrapolated with its own per-connection cost.
    const rss = (top.serverMem?.rssMB ?? Infinity) + Math.max(0, IDLE_CONNS - top.connected) * (top.rssPerConnKB ?? 0) / 1024;
    target("d", `${f(IDLE_CONNS)} joined websocket connections with server RSS ≤ ${IDLE_RSS_MB} MB, ≤ 20 KB per connection (issue 6; the Node original: 16–21 KB)`,
      top, top.connected === top.target && rss <= IDLE_RSS_MB && (top.rssPerConnKB ?? Infinity) <= 20,
      `${f(top.connected)} connected: RSS ${f(top.serverMem?.rssMB)} MB after GC (high-water mark while joining ${f(top.serverMem?.hwmMB)} MB), ${f(top.rssPerConnKB)} KB/conn` +
      (top.connected < IDLE_CONNS ? `; at ${f(IDLE_CONNS)}: ~${f(rss, 0)} MB` : ""));
  }
  return `### (d) idle connections\n\nRSS per connection = (RSS after − RSS before connecting) / connected; heap per connection likewise, both after \`jcmd GC.run\`. A connection is a REST session plus a joined websocket. The clients offer permessage-deflate as browsers do; the server declines it.\n\n${table(head, body)}`;
}

/** CPU milliseconds per event from a CPU % (100 = one core busy) and a rate per second. */
function cpuMsPer(cpuPct, perSec) {
  return cpuPct == null || !perSec ? undefined : (cpuPct * 10) / perSec;
}

// --- storm (e) --------------------------------------------------------------------------------------
function stormTable() {
  const rows = by("e");
  const head = ["database", "connected during the storm", "joins in flight", "joins", "joins/s", "join p50 ms", "join p99 ms", "join max ms", "failures", "server CPU %", "server CPU ms per join", "client CPU %", "client CPU ms per join", "RSS MB"];
  const body = rows.map((r) => r.error ? failedRow(r, head.length) : [
    db(r), f(r.connectedBefore), f(r.stormConcurrency), f(r.stormJoins), f(r.joinsPerSec), f(r.joinMs?.p50, 1), f(r.joinMs?.p99, 1), f(r.joinMs?.max, 1),
    f(r.stormFailures), f(r.serverCpuPct), f(cpuMsPer(r.serverCpuPct, r.joinsPerSec), 2), f(r.clientCpuPct),
    f(cpuMsPer(r.clientCpuPct, r.joinsPerSec), 2), f(r.serverMem?.rssMB),
  ]);
  for (const r of rows) {
    if (r.error) { target("e", "run completes", r, false, "failed"); continue; }
    target("e", `≥ ${f(STORM_JOINS)} joins/s with ${f(r.connectedBefore)} connected, 0 failures`, r,
      quick ? null : r.joinsPerSec >= STORM_JOINS && r.stormFailures === 0 && r.connectedBefore >= 5000,
      `${f(r.joinsPerSec)} joins/s${short(r.joinsPerSec, STORM_JOINS)}, p99 ${f(r.joinMs?.p99, 1)} ms, ${f(r.stormFailures)} failures`);
  }
  return `### (e) join storm\n\nEach join = REST \`POST /api/rooms/:token/join\` + Socket.IO connect + \`join_room\` → \`room_joined\`; the client then leaves, so the connected count stays at the background level.\n\n${table(head, body)}`;
}

function soakTable() {
  const rows = by("soak");
  if (rows.length === 0) return "";
  const head = ["database", "duration s", "samples", "RSS MB first/last/max", "heap MB after GC first/last/max", "threads first/last", "fds first/last", "deliveries/s first/last", "p99 ms first/last/max", "slope heap MB/min", "slope RSS MB/min", "verdict"];
  const body = rows.map((r) => r.error ? failedRow(r, head.length) : [
    db(r), f(r.params.duration), f(r.samples),
    `${f(r.trend.rssMB.first)}/${f(r.trend.rssMB.last)}/${f(r.trend.rssMB.max)}`, `${f(r.trend.heapMB.first)}/${f(r.trend.heapMB.last)}/${f(r.trend.heapMB.max)}`,
    `${f(r.trend.threads.first)}/${f(r.trend.threads.last)}`, `${f(r.trend.fds.first)}/${f(r.trend.fds.last)}`,
    `${f(r.trend.deliveriesPerSec.first)}/${f(r.trend.deliveriesPerSec.last)}`, `${f(r.trend.p99.first, 1)}/${f(r.trend.p99.last, 1)}/${f(r.trend.p99.max, 1)}`,
    f(r.trend.heapMB.slopePerMin, 3), f(r.trend.rssMB.slopePerMin, 3), r.verdict,
  ]);
  for (const r of rows) {
    if (r.error) continue;
    target("soak", "memory, threads and fds flat over the last 10 min", r, r.verdict === "too short to judge" ? null : r.verdict === "flat", `${r.verdict}; lost ${f(r.lost)}`);
  }
  return `### Soak\n\n${table(head, body)}\nSamples (every ${rows[0]?.sampleS} s): ${samples.filter((s) => s.label === "soak").length} lines in the raw file.\n\n`;
}

const sections = [
  chatTable("a", "(a) chat: 10 rooms × 10 members, 1 sender per room at 5 msg/s"),
  searchTable("b", `(b) 100 rooms × 20 members: maximum sustainable rate (p99 ≤ ${P99_MS} ms, zero loss)`),
  chatTable("c", "(c) 1 room × 50 members, all sending"),
  idleTable(),
  stormTable(),
  chatTable("f-a", "(f) long-polling clients at (a)"),
  searchTable("f-b", "(f) long-polling clients at (b)"),
  soakTable(),
].join("\n");

const mark = (m) => (m === true ? "met" : m === false ? "**missed**" : "n/a (QUICK)");
const md = `# GhostRooms benchmark results

${quick ? "> **QUICK=1 validation run**: every scenario is shrunk to a few seconds and a few hundred connections on a machine\n> that may be busy. These numbers check that the bench works; they are not results. Run \`bash bench/run-matrix.sh\`\n> on a quiet machine for the real matrix.\n\n" : ""}Written by \`bench/run-matrix.sh\`${a.elapsed ? ` in ${Math.round(Number(a.elapsed) / 60 * 10) / 10} min` : ""}; raw JSON lines: \`bench/out/${a.jsonl.split("/").pop()}\` (not committed). How to read and rerun: \`bench/README.md\`.

## Machine

\`\`\`
${machine}
\`\`\`

Server and load generator share this machine (loopback): the clients' CPU is shown next to the server's,
so a row where the clients, not the server, ran out of CPU can be told apart.

## Targets

| scenario | target | run | result | measured |
|---|---|---|---|---|
${targets.map(([s, w, r, m, v]) => `| ${s} | ${w} | ${r} | ${mark(m)} | ${v} |`).join("\n")}

## Results

Latency is send → receive of \`new_message\` at every member (the sender included), measured in the same
client process; ack latency is send → Socket.IO ack. Deliveries/s counts member deliveries in the
measured window. Server CPU % is of one core (200 % = both cores of a 2-core machine).

${sections}
${a.notes ? readFileSync(a.notes, "utf8").trim() + "\n\n" : ""}## Commands

\`\`\`sh
${commands}
\`\`\`
`;
writeFileSync(a.out, md);
process.stderr.write(`results: ${results.length} runs, ${targets.filter((t) => t[3] === false).length} targets missed\n`);
