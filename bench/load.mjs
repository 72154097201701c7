#!/usr/bin/env node
// GhostRooms load generator (issue 6). Forks worker processes (lib/worker.mjs) that each own whole
// rooms, drives one scenario, and prints ONE JSON line per run on stdout (soak also prints a
// "sample" line every --sample seconds, search a "step" line per rate step). Logs go to stderr.
//
//   node load.mjs --mode chat --rooms 10 --members 10 --senders 1 --rate 5 --duration 30
//   node load.mjs --mode search --rooms 100 --members 20 --rate 2 --duration 15
//   node load.mjs --mode idle --conns 10000
//   node load.mjs --mode storm --connected 5000 --duration 20
//   node load.mjs --mode soak --duration 1800 --sample 30
//   node load.mjs --url http://127.0.0.1:3000 --pid 1234 ...   (a running server instead of the jar)
//
// Without --url the server is started from the jar (GHOSTROOMS_JAR) with the bench limits lifted
// (BENCH_SERVER_ENV in lib/proc.mjs), DATABASE_URL / MESSAGE_PERSISTENCE taken from the environment,
// JVM flags from BENCH_JAVA_OPTS. `node load.mjs --help` lists every option.
import { fork } from "node:child_process";
import { appendFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { Histogram } from "./lib/hist.mjs";
import {
  BENCH_SERVER_ENV, DEFAULT_JAR, cpuMeter, ephemeralPorts, fdLimits, heapMB, memInfo, startServer,
} from "./lib/proc.mjs";

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const log = (...a) => process.stderr.write(`[load ${new Date().toISOString().slice(11, 23)}] ${a.join(" ")}\n`);

const DEFAULT_JAVA_OPTS = "-XX:+UseG1GC -Xms64m -Xmx1g -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30";
const MODES = ["chat", "idle", "storm", "soak", "search"];

// ---------------------------------------------------------------------------------------------
// options

const HELP = `usage: node load.mjs [options]
  --mode chat|idle|storm|soak|search   scenario (chat)
  --url URL --pid PID                  target a running server (else the jar is started)
  --workers N                          load-generator processes (auto: enough for the load, <= cores)
  --rooms N --members N --senders N    chat/soak/search: rooms, members per room, senders per room
  --rate R                             msg/s per sender (search: the first step's rate)
  --size B                             message content length in characters (100)
  --duration S --warmup S              measured seconds (search: per step; idle: holding time) and warm-up
  --transport websocket|polling        (websocket)
  --ack                                ask for Socket.IO acks and measure ack latency
  --stalled N                          chat/soak/search: N more members in the first room that join (raw
                                       websocket), then stop reading and answering pings; not measured.
                                       Result: stalledClosedByServer, how many the server closed in time (0)
  --no-deflate                         websocket clients do not offer permessage-deflate (browsers do)
  --conns N                            idle: connections (members per room: --members, default 10)
  --connected K                        storm: background connections (5000)
  --storm-rooms N --storm-concurrency N  storm: rooms joined, joins in flight in total (100, 64)
  --concurrency N                      joins in flight in total while setting up (64)
  --sample S                           soak: seconds between samples (30)
  --target-p99 MS                      search: p99 bound of a passing step (50)
  --factor F --max-steps N --refine N  search: rate multiplier per step (1.5), steps (14), bisection steps (2)
  --drain S                            seconds to wait for in-flight deliveries after sending ends (5)
  --prewarm N                          joins (each sends one message, then leaves) to warm the server's JIT
                                       up before anything is measured (1000; 0: none)
  --no-gc                              do not run a full GC (jcmd GC.run) before measuring the heap
  --label TEXT --db TEXT               free text copied into the result (db: describes --url's database)
  --out FILE                           also append every JSON line to FILE
  --timeout MS                         REST/connect/join timeout (20000)`;

function options() {
  const { values } = parseArgs({
    options: {
      mode: { type: "string", default: "chat" },
      url: { type: "string" }, pid: { type: "string" },
      workers: { type: "string" },
      rooms: { type: "string" }, members: { type: "string" }, senders: { type: "string" },
      rate: { type: "string" }, size: { type: "string" },
      duration: { type: "string" }, warmup: { type: "string" },
      transport: { type: "string", default: "websocket" },
      ack: { type: "boolean", default: false },
      stalled: { type: "string" },
      "no-deflate": { type: "boolean", default: false },
      conns: { type: "string" }, connected: { type: "string" },
      "storm-rooms": { type: "string" }, "storm-concurrency": { type: "string" },
      concurrency: { type: "string" },
      sample: { type: "string" },
      "target-p99": { type: "string" }, factor: { type: "string" }, "max-steps": { type: "string" },
      refine: { type: "string" },
      drain: { type: "string" },
      prewarm: { type: "string" },
      "no-gc": { type: "boolean", default: false },
      label: { type: "string" }, db: { type: "string" },
      out: { type: "string" },
      timeout: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) { process.stdout.write(HELP + "\n"); process.exit(0); }
  const mode = values.mode;
  if (!MODES.includes(mode)) throw new Error(`--mode must be one of ${MODES.join(", ")}`);
  if (!["websocket", "polling"].includes(values.transport)) throw new Error("--transport must be websocket or polling");
  const num = (name, fallback, { min = 0, int = true } = {}) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min || (int && !Number.isInteger(v))) throw new Error(`--${name} must be a ${int ? "whole " : ""}number >= ${min}`);
    return v;
  };
  const defaults = {
    chat: { rooms: 10, members: 10, senders: 1, rate: 5, duration: 30, warmup: 5 },
    soak: { rooms: 10, members: 10, senders: 1, rate: 5, duration: 1800, warmup: 10 },
    search: { rooms: 100, members: 20, senders: 1, rate: 2, duration: 15, warmup: 3 },
    idle: { rooms: 0, members: 10, senders: 0, rate: 0, duration: 10, warmup: 0 },
    storm: { rooms: 0, members: 10, senders: 0, rate: 0, duration: 20, warmup: 3 },
  }[mode];
  const o = {
    mode,
    url: values.url ?? null,
    pid: values.pid ? num("pid", null, { min: 1 }) : null,
    rooms: num("rooms", defaults.rooms, { min: 1 }),
    members: num("members", defaults.members, { min: 1 }),
    senders: num("senders", defaults.senders),
    rate: num("rate", defaults.rate, { min: 0.001, int: false }),
    size: num("size", 100, { min: 1 }),
    duration: num("duration", defaults.duration, { min: 1, int: false }),
    warmup: num("warmup", defaults.warmup, { int: false }),
    transport: values.transport,
    ack: values.ack,
    stalled: num("stalled", 0),
    deflate: !values["no-deflate"],
    conns: num("conns", 1000, { min: 1 }),
    connected: num("connected", 5000),
    stormRooms: num("storm-rooms", 100, { min: 1 }),
    stormConcurrency: num("storm-concurrency", 64, { min: 1 }),
    concurrency: num("concurrency", 64, { min: 1 }),
    sample: num("sample", 30, { min: 1, int: false }),
    targetP99: num("target-p99", 50, { min: 0, int: false }),
    factor: num("factor", 1.5, { min: 1.01, int: false }),
    maxSteps: num("max-steps", 14, { min: 1 }),
    refine: num("refine", 2),
    drain: num("drain", mode === "soak" ? 10 : 5, { int: false }),
    prewarm: num("prewarm", 1000),
    gc: !values["no-gc"],
    label: values.label ?? null,
    db: values.db ?? null,
    out: values.out ?? null,
    timeoutMs: num("timeout", 20000, { min: 100 }),
  };
  if (o.senders > o.members) throw new Error("--senders cannot exceed --members");
  if (o.stalled > 0 && !["chat", "soak", "search"].includes(mode)) throw new Error("--stalled is for chat, soak and search");
  // the stalled members are raw websockets; a long-polling client stalls by not polling, another test
  if (o.stalled > 0 && o.transport !== "websocket") throw new Error("--stalled needs --transport websocket");
  if (values.url && !/^https?:\/\//.test(values.url)) throw new Error("--url must be http(s)://host:port");
  o.url = o.url?.replace(/\/$/, "") ?? null;
  // connections and deliveries/s the clients must handle, for the default worker count
  if (mode === "idle") { o.rooms = Math.ceil(o.conns / o.members); o.conns = o.rooms * o.members; }
  const conns = mode === "idle" ? o.conns : mode === "storm" ? o.connected + o.stormConcurrency : o.rooms * o.members;
  const deliveries = ["chat", "soak"].includes(mode) ? o.rooms * o.senders * o.rate * o.members : 0;
  const cores = availableParallelism();
  const ownedUnits = mode === "idle" || mode === "storm" ? Infinity : o.rooms; // a worker owns whole rooms
  const auto = mode === "search"
    ? Math.min(cores, 4)
    : Math.max(1, Math.ceil(conns / 5000), Math.ceil(deliveries / 30000));
  o.workers = Math.min(num("workers", Math.min(auto, Math.max(cores, Math.ceil(conns / 5000))), { min: 1 }), ownedUnits);
  return o;
}

// ---------------------------------------------------------------------------------------------
// worker processes

class WorkerProc {
  constructor(id) {
    this.id = id;
    this.waiters = []; // {evt, ok, fail}
    this.dead = null;
    this.child = fork(new URL("./lib/worker.mjs", import.meta.url), [], {
      execArgv: ["--max-old-space-size=4096"],
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    this.child.stdout.pipe(process.stderr); // stdout of this process carries JSON only
    this.cpu = null;
    this.child.on("message", (m) => {
      if (m.evt === "fatal") {
        this.fail(new Error(`worker ${id}: ${m.error}`));
        return;
      }
      const i = this.waiters.findIndex((w) => w.evt === m.evt);
      if (i >= 0) this.waiters.splice(i, 1)[0].ok(m);
    });
    this.child.on("exit", (code, sig) => {
      if (!this.closing) this.fail(new Error(`worker ${id} exited (${code ?? sig})`));
    });
  }

  fail(err) {
    this.dead ??= err;
    for (const w of this.waiters.splice(0)) w.fail(err);
  }

  /** Sends {cmd, ...args} and resolves with the next event named evt. */
  request(cmd, args, evt) {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((ok, fail) => {
      this.waiters.push({ evt, ok, fail });
      this.child.send({ cmd, ...args });
    });
  }

  async close() {
    this.closing = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((ok) => this.child.once("exit", ok));
    const timer = setTimeout(() => this.child.kill("SIGKILL"), this.dead ? 2_000 : 15_000);
    try { this.child.send({ cmd: "close" }); } catch { this.child.kill("SIGKILL"); }
    await exited;
    clearTimeout(timer);
  }
}

const all = (workers, cmd, argsOf, evt) => Promise.all(workers.map((w, i) => w.request(cmd, argsOf(i), evt)));

/** Global room ids 0..n-1 dealt round-robin to the workers. */
function deal(n, workers, offset = 0) {
  const out = workers.map(() => []);
  for (let g = 0; g < n; g++) out[g % workers.length].push(offset + g);
  return out;
}

const SUM_KEYS = ["sent", "delivered", "expected", "duplicated", "misrouted", "foreign", "errors", "ackFailures",
  "acked", "notConnected", "connectFailures", "disconnects", "joined", "stormJoins", "stormFailures", "connected",
  "lagSumMs", "lagN", "stalledJoined", "stalledClosed"];

function merge(reports) {
  const m = { lagMaxMs: 0, errorCodes: {}, failures: {}, failureSamples: [], lat: new Histogram(), ack: new Histogram(), join: new Histogram() };
  for (const k of SUM_KEYS) m[k] = 0;
  for (const r of reports) {
    for (const k of SUM_KEYS) m[k] += r[k] ?? 0;
    m.lagMaxMs = Math.max(m.lagMaxMs, r.lagMaxMs ?? 0);
    for (const [c, n] of Object.entries(r.errorCodes ?? {})) m.errorCodes[c] = (m.errorCodes[c] ?? 0) + n;
    for (const [c, n] of Object.entries(r.failures ?? {})) m.failures[c] = (m.failures[c] ?? 0) + n;
    for (const s of r.failureSamples ?? []) if (m.failureSamples.length < 5) m.failureSamples.push(s);
    m.lat.merge(r.lat); m.ack.merge(r.ack); m.join.merge(r.join);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// server side measurements

async function serverSnapshot(pid, { gc }) {
  if (!pid) return { rssMB: null, heapMB: null, threads: null, fds: null, gc: false };
  const heap = await heapMB(pid, { gc });
  const didGc = gc && heap !== null;
  // G1 gives the heap it shrank back to the OS concurrently, after GC.run returns: RSS read at
  // once still counted ~200 MB of freed heap at 5,000 connections.
  if (didGc) await new Promise((r) => setTimeout(r, 3000));
  const mem = memInfo(pid);
  return { rssMB: mem.rssMB, hwmMB: mem.hwmMB, heapMB: heap, threads: mem.threads, fds: mem.fds, gc: didGc };
}

/** CPU meters for the server and each worker over one window. */
function meters(pid, workers) {
  const server = cpuMeter(pid);
  const clients = workers.map((w) => cpuMeter(w.child.pid));
  return () => {
    const c = clients.map((f) => f());
    const ok = c.filter((x) => x !== null);
    return {
      serverCpuPct: pid ? server() : null,
      clientCpuPct: round(ok.reduce((a, b) => a + b, 0)),
      clientMaxWorkerCpuPct: ok.length ? Math.max(...ok) : null,
    };
  };
}

function latency(h) {
  const s = h.summary();
  return { p50: s.p50, p99: s.p99, p999: s.p999, max: s.max, mean: s.mean, n: s.samples };
}

// ---------------------------------------------------------------------------------------------
// chat phases (chat, soak, search)

async function progress(workers, window = false) {
  const ps = await all(workers, "progress", () => ({ window }), "progress");
  const sum = { latWin: new Histogram() };
  for (const k of ["sent", "delivered", "expected", "acked", "ackFailures", "errors", "disconnects", "duplicated", "connected", "stormJoins"]) {
    sum[k] = ps.reduce((a, p) => a + (p[k] ?? 0), 0);
  }
  if (window) for (const p of ps) sum.latWin.merge(p.latWin);
  return sum;
}

/** Waits until every expected delivery (and ack) arrived or `drainS` passed; returns ms waited. */
async function drain(workers, o) {
  const t = now();
  for (;;) {
    const p = await progress(workers);
    const acksDone = !o.ack || p.acked + p.ackFailures >= p.sent;
    if ((p.delivered >= p.expected && acksDone) || now() - t >= o.drain * 1000) return now() - t;
    await sleep(100);
  }
}

/**
 * One sending phase on the joined rooms: warm-up, `duration` measured seconds, drain, report.
 * onTick(tSinceStart) is called every `sampleS` seconds of the measured window (soak).
 */
async function chatPhase(workers, o, server, { rate, reset, sampleS = 0, onSample = null }) {
  const t0 = now() + 300;
  const warmupEnd = t0 + o.warmup * 1000;
  const endAt = warmupEnd + o.duration * 1000;
  let stopMeters = null;
  let meterResult = null;
  const meterStart = setTimeout(() => { stopMeters = meters(server.pid, workers); }, Math.max(0, warmupEnd - now()));
  const meterEnd = setTimeout(() => { meterResult = stopMeters?.(); }, Math.max(0, endAt - now()));
  const sent = all(workers, "start-chat", () => ({ t0, warmupEnd, endAt, rate, reset }), "sent");
  if (sampleS > 0 && onSample) {
    await sleep(Math.max(0, warmupEnd - now()));
    await progress(workers, true); // starts the first latency window
    let k = 1;
    let last = { t: now(), delivered: 0, expected: 0 };
    while (warmupEnd + k * sampleS * 1000 <= endAt + 1) {
      await sleep(Math.max(0, warmupEnd + k * sampleS * 1000 - now()));
      const p = await progress(workers, true);
      const t = now();
      await onSample({ elapsedS: round((t - warmupEnd) / 1000), p, dt: (t - last.t) / 1000, last });
      last = { t, delivered: p.delivered, expected: p.expected };
      k++;
    }
  }
  await sent;
  clearTimeout(meterStart);
  clearTimeout(meterEnd);
  meterResult ??= stopMeters?.() ?? { serverCpuPct: null, clientCpuPct: null, clientMaxWorkerCpuPct: null };
  const drainMs = await drain(workers, o);
  const m = merge((await all(workers, "report", () => ({}), "report")).map((r) => r.stats));
  const lost = Math.max(0, m.expected - m.delivered);
  const targetRate = o.rooms * o.senders * rate;
  return {
    rate,
    targetMsgsPerSec: round(targetRate),
    sent: m.sent,
    msgsPerSec: round(m.sent / o.duration),
    delivered: m.delivered,
    expected: m.expected,
    lost,
    duplicated: m.duplicated,
    misrouted: m.misrouted,
    deliveriesPerSec: round(m.delivered / o.duration),
    latencyMs: latency(m.lat),
    ackLatencyMs: o.ack ? latency(m.ack) : null,
    acked: m.acked,
    ackFailures: m.ackFailures,
    errors: m.errorCodes,
    errorCount: m.errors,
    connectFailures: m.connectFailures,
    failureSamples: m.failureSamples,
    disconnects: m.disconnects,
    senderLagMs: { mean: m.lagN ? round(m.lagSumMs / m.lagN, 2) : null, max: round(m.lagMaxMs, 1) },
    drainMs: Math.round(drainMs),
    ...(o.stalled > 0 ? { stalledClosedByServer: m.stalledClosed } : {}),
    ...meterResult,
  };
}

async function setupChat(workers, o) {
  const t = now();
  const dealt = deal(o.rooms, workers);
  // the stalled members go to room 0, so to the worker that owns it
  const ready = await all(workers, "setup-chat", (i) => ({ rooms: dealt[i], stalled: dealt[i].includes(0) ? o.stalled : 0 }), "ready");
  const joined = ready.reduce((a, r) => a + r.joined, 0);
  const failures = ready.reduce((a, r) => a + r.connectFailures, 0);
  const stalledJoined = ready.reduce((a, r) => a + r.stalledJoined, 0);
  log(`joined ${joined}/${o.rooms * o.members} in ${Math.round(now() - t)} ms (${failures} connect failures)`
    + (o.stalled > 0 ? `, ${stalledJoined}/${o.stalled} stalled members in room 0` : ""));
  return { joined, connectFailures: failures, ...(o.stalled > 0 ? { stalledJoined } : {}), setupMs: Math.round(now() - t) };
}

// ---------------------------------------------------------------------------------------------
// scenarios

async function runChat(workers, o, server) {
  const setup = await setupChat(workers, o);
  const r = await chatPhase(workers, o, server, { rate: o.rate, reset: false });
  const snap = await serverSnapshot(server.pid, { gc: o.gc }); // after the window: the GC costs nothing measured
  return { ...setup, ...r, serverMem: snap };
}

function isPass(step, o) {
  const reasons = [];
  if (step.lost > 0) reasons.push(`lost ${step.lost}`);
  if (step.duplicated > 0) reasons.push(`duplicated ${step.duplicated}`);
  if (step.errorCount > 0) reasons.push(`errors ${JSON.stringify(step.errors)}`);
  if (step.disconnects > 0) reasons.push(`disconnects ${step.disconnects}`);
  if (step.latencyMs.p99 === null || step.latencyMs.p99 > o.targetP99) reasons.push(`p99 ${step.latencyMs.p99} ms`);
  // the clients could not send at the asked rate: the step did not test it
  // (each sender may send one message less than rate × duration: its first send time is random)
  if (step.sent < 0.95 * step.targetMsgsPerSec * o.duration - o.rooms * o.senders) reasons.push(`sent only ${step.msgsPerSec}/${step.targetMsgsPerSec} msg/s (client-bound?)`);
  if (reasons.length && step.clientMaxWorkerCpuPct >= 90) reasons.push(`a load worker was at ${step.clientMaxWorkerCpuPct} % CPU: the clients may be the limit`);
  return reasons;
}

const nice = (x) => Number(x.toPrecision(2)); // two significant digits, so step rates read well

async function runSearch(workers, o, server, emit) {
  const setup = await setupChat(workers, o);
  const steps = [];
  // best: the highest passing rate; firstFail: the lowest failing rate above it
  const bestRow = () => steps.filter((s) => s.pass).sort((a, b) => b.rate - a.rate)[0] ?? null;
  const firstFailRow = () => {
    const b = bestRow();
    return steps.filter((s) => !s.pass && (!b || s.rate > b.rate)).sort((a, c) => a.rate - c.rate)[0] ?? null;
  };
  const step = async (rate) => {
    log(`search step: ${rate} msg/s per sender (${round(rate * o.rooms * o.senders)} msg/s)`);
    const r = await chatPhase(workers, o, server, { rate, reset: true });
    const reasons = isPass(r, o);
    const row = { ...r, pass: reasons.length === 0, reasons };
    steps.push(row);
    emit({ type: "step", mode: "search", label: o.label, ...row });
    if (server.exitInfo?.()) throw new Error(`server exited during the search: ${JSON.stringify(server.exitInfo())}`);
    await sleep(1000); // let a backlog of a failed step clear before the next one
    return row;
  };
  let rate = o.rate;
  let retried = false;
  let downs = 0;
  for (let i = 0; i < o.maxSteps; i++) {
    const row = await step(rate);
    if (row.pass) {
      const next = nice(rate * o.factor);
      const ff = firstFailRow();
      if (ff && next >= ff.rate) break; // known to fail: bisect below
      rate = next;
      continue;
    }
    // one retry of a step that failed on latency alone: a GC or a neighbour's burst is not a limit
    const latencyOnly = row.reasons.every((r) => r.startsWith("p99") || r.startsWith("a load worker"));
    if (latencyOnly && !retried) { retried = true; continue; }
    // nothing passed yet: the first rate was too high, halve it (at most 3 times)
    if (!bestRow() && downs < 3) { downs++; rate = nice(rate / 2); continue; }
    break;
  }
  // bisection between the best passing and the first failing rate, while the clients are healthy
  for (let i = 0; i < o.refine && steps.at(-1).disconnects === 0; i++) {
    const b = bestRow();
    const ff = firstFailRow();
    if (!b || !ff) break;
    const mid = nice((b.rate + ff.rate) / 2);
    if (mid <= b.rate || mid >= ff.rate) break;
    await step(mid);
  }
  const best = bestRow();
  const firstFail = firstFailRow();
  const snap = await serverSnapshot(server.pid, { gc: o.gc });
  return {
    ...setup,
    targetP99Ms: o.targetP99,
    maxSustainable: best ? { ratePerSender: best.rate, msgsPerSec: best.msgsPerSec, deliveriesPerSec: best.deliveriesPerSec, p99: best.latencyMs.p99 } : null,
    firstFailing: firstFail ? { ratePerSender: firstFail.rate, msgsPerSec: firstFail.msgsPerSec, reasons: firstFail.reasons } : null,
    ...(best ?? steps.at(-1) ?? {}),
    pass: undefined, reasons: undefined,
    // closed ones stay closed: the count at the end of the search, not of the best step
    ...(o.stalled > 0 ? { stalledClosedByServer: steps.at(-1)?.stalledClosedByServer ?? null } : {}),
    steps: steps.map((s) => ({ rate: s.rate, msgsPerSec: s.msgsPerSec, deliveriesPerSec: s.deliveriesPerSec, p50: s.latencyMs.p50, p99: s.latencyMs.p99, lost: s.lost, duplicated: s.duplicated, errors: s.errorCount, serverCpuPct: s.serverCpuPct, clientCpuPct: s.clientCpuPct, pass: s.pass, reasons: s.reasons })),
    serverMem: snap,
  };
}

/** Least-squares slope of y over x (per unit of x), or null. */
function slope(points) {
  const p = points.filter(([, y]) => y !== null && y !== undefined);
  if (p.length < 3) return null;
  const mx = p.reduce((a, [x]) => a + x, 0) / p.length;
  const my = p.reduce((a, [, y]) => a + y, 0) / p.length;
  let num = 0, den = 0;
  for (const [x, y] of p) { num += (x - mx) * (y - my); den += (x - mx) ** 2; }
  return den ? num / den : null;
}

async function runSoak(workers, o, server, emit) {
  const setup = await setupChat(workers, o);
  const samples = [];
  const onSample = async ({ elapsedS, p, dt, last }) => {
    const snap = await serverSnapshot(server.pid, { gc: o.gc });
    const delivered = p.delivered - last.delivered;
    const s = {
      type: "sample", mode: "soak", label: o.label, elapsedS,
      rssMB: snap.rssMB, heapMB: snap.heapMB, heapAfterGc: snap.gc, threads: snap.threads, fds: snap.fds,
      deliveriesPerSec: round(delivered / dt), p99: p.latWin.summary().p99, max: p.latWin.summary().max,
      sent: p.sent, delivered: p.delivered, expected: p.expected, errors: p.errors, disconnects: p.disconnects,
      connected: p.connected,
    };
    samples.push(s);
    emit(s);
  };
  const r = await chatPhase(workers, o, server, { rate: o.rate, reset: false, sampleS: o.sample, onSample });
  const keys = ["rssMB", "heapMB", "threads", "fds", "deliveriesPerSec", "p99"];
  const trend = {};
  // flatness: slope over the last 10 minutes (or the last half of a shorter soak), per minute
  const spanS = Math.min(600, (samples.at(-1)?.elapsedS ?? 0) / 2);
  const tail = samples.filter((s) => s.elapsedS >= (samples.at(-1)?.elapsedS ?? 0) - spanS);
  for (const k of keys) {
    const ys = samples.map((s) => s[k]).filter((y) => y !== null && y !== undefined);
    const sl = slope(tail.map((s) => [s.elapsedS / 60, s[k]]));
    trend[k] = { first: ys[0] ?? null, last: ys.at(-1) ?? null, max: ys.length ? Math.max(...ys) : null, slopePerMin: round(sl, 3) };
  }
  // verdict: over the tail window, heap-after-GC and RSS must not grow by more than 5 % of their mean
  // (at least 10 MB), threads by more than 2, fds by more than 10
  const mean = (k) => tail.reduce((a, s) => a + (s[k] ?? 0), 0) / Math.max(1, tail.length);
  const spanMin = spanS / 60;
  const checks = {
    heapMB: trend.heapMB.slopePerMin === null || trend.heapMB.slopePerMin * spanMin <= Math.max(10, 0.05 * mean("heapMB")),
    rssMB: trend.rssMB.slopePerMin === null || trend.rssMB.slopePerMin * spanMin <= Math.max(10, 0.05 * mean("rssMB")),
    threads: trend.threads.slopePerMin === null || trend.threads.slopePerMin * spanMin <= 2,
    fds: trend.fds.slopePerMin === null || trend.fds.slopePerMin * spanMin <= 10,
  };
  const judged = tail.length >= 3;
  const flat = Object.values(checks).every(Boolean);
  const snap = await serverSnapshot(server.pid, { gc: false });
  return {
    ...setup, ...r, samples: samples.length, sampleS: o.sample, tailWindowS: round(spanS, 0), trend, flatChecks: checks,
    verdict: !judged ? "too short to judge" : flat ? "flat" : "growing", serverMem: snap,
  };
}

async function connectIdle(workers, o, server, rooms) {
  const dealt = deal(rooms, workers);
  await all(workers, "setup-rooms", (i) => ({ idleRooms: dealt[i] }), "rooms");
  const base = await serverSnapshot(server.pid, { gc: o.gc });
  log(`baseline: rss ${base.rssMB} MB, heap ${base.heapMB} MB; connecting ${rooms * o.members}`);
  const stop = meters(server.pid, workers);
  const t = now();
  const res = await all(workers, "connect-idle", () => ({}), "connected");
  const wallMs = now() - t;
  const cpu = stop();
  const joined = res.reduce((a, r) => a + r.joined, 0);
  log(`connected ${joined} in ${Math.round(wallMs)} ms`);
  return { base, wallMs, joined, cpu };
}

async function runIdle(workers, o, server) {
  const { base, wallMs, joined, cpu } = await connectIdle(workers, o, server, o.rooms);
  // idle CPU over the second half of the hold: the first half still compiles what the joins ran
  await sleep(o.duration * 500);
  const hold = meters(server.pid, workers);
  await sleep(o.duration * 500);
  const holdCpu = hold();
  const after = await serverSnapshot(server.pid, { gc: o.gc });
  const m = merge((await all(workers, "report", () => ({}), "report")).map((r) => r.stats));
  const perConn = (a, b) => (a === null || b === null || m.connected === 0 ? null : round(((a - b) * 1024) / m.connected, 1));
  return {
    target: o.conns,
    joined: m.joined,
    connected: m.connected,
    connectFailures: m.connectFailures,
    failures: m.failures,
    failureSamples: m.failureSamples,
    disconnects: m.disconnects,
    errors: m.errorCodes,
    joinWallMs: Math.round(wallMs),
    joinsPerSec: round(joined / (wallMs / 1000)),
    joinMs: latency(m.join),
    serverCpuPctJoining: cpu.serverCpuPct,
    clientCpuPctJoining: cpu.clientCpuPct,
    holdS: o.duration,
    serverCpuPctIdle: holdCpu.serverCpuPct,
    baseline: base,
    serverMem: after,
    rssPerConnKB: perConn(after.rssMB, base.rssMB),
    heapPerConnKB: perConn(after.heapMB, base.heapMB),
  };
}

async function runStorm(workers, o, server) {
  const bgRooms = Math.ceil(o.connected / o.members);
  const dealtStorm = deal(Math.max(o.stormRooms, workers.length), workers, bgRooms);
  await all(workers, "setup-rooms", (i) => ({ stormRooms: dealtStorm[i] }), "rooms");
  const { joined: bgJoined, wallMs } = o.connected > 0
    ? await connectIdle(workers, o, server, bgRooms)
    : { joined: 0, wallMs: 0 };
  const bg = (await progress(workers)).connected;
  log(`storm with ${bg} connected`);
  const perWorker = Math.max(1, Math.ceil(o.stormConcurrency / workers.length));
  const t0 = now() + 300;
  const warmupEnd = t0 + o.warmup * 1000;
  const endAt = warmupEnd + o.duration * 1000;
  let stop = null, cpu = null;
  const a = setTimeout(() => { stop = meters(server.pid, workers); }, warmupEnd - now());
  const b = setTimeout(() => { cpu = stop?.(); }, endAt - now());
  await all(workers, "storm", () => ({ warmupEnd, endAt }), "stormed");
  clearTimeout(a); clearTimeout(b);
  cpu ??= stop?.() ?? {};
  const m = merge((await all(workers, "report", () => ({}), "report")).map((r) => r.stats));
  const after = await serverSnapshot(server.pid, { gc: false });
  return {
    connectedBefore: bg,
    backgroundTarget: o.connected,
    backgroundJoinsPerSec: wallMs ? round(bgJoined / (wallMs / 1000)) : null,
    stormConcurrency: perWorker * workers.length,
    stormJoins: m.stormJoins,
    stormFailures: m.stormFailures,
    joinsPerSec: round(m.stormJoins / o.duration),
    joinMs: latency(m.join),
    connectedAfter: m.connected,
    disconnects: m.disconnects,
    errors: m.errorCodes,
    failureSamples: m.failureSamples,
    ...cpu,
    serverMem: after,
  };
}

// ---------------------------------------------------------------------------------------------

function describeDb(o) {
  if (o.db) return o.db;
  if (o.url) return "unknown (--url)";
  const persistence = (process.env.MESSAGE_PERSISTENCE ?? "database").toLowerCase();
  const db = process.env.DATABASE_URL ? "postgresql" : "embedded-h2";
  return persistence === "off" ? `${db}+persistence-off` : db;
}

function params(o) {
  const p = { transport: o.transport, workers: o.workers, deflate: o.deflate };
  if (["chat", "soak", "search"].includes(o.mode)) Object.assign(p, { rooms: o.rooms, members: o.members, senders: o.senders, rate: o.rate, size: o.size, ack: o.ack, stalled: o.stalled, duration: o.duration, warmup: o.warmup });
  if (o.mode === "soak") p.sample = o.sample;
  if (o.mode === "search") Object.assign(p, { targetP99: o.targetP99, factor: o.factor, maxSteps: o.maxSteps });
  if (o.mode === "idle") Object.assign(p, { conns: o.conns, members: o.members, hold: o.duration });
  p.prewarm = o.prewarm;
  if (o.mode === "storm") Object.assign(p, { connected: o.connected, members: o.members, stormRooms: o.stormRooms, stormConcurrency: o.stormConcurrency, duration: o.duration, warmup: o.warmup });
  return p;
}

/** Client-side limits that would make the bench, not the server, fail. */
function limitWarnings(o, serverPid) {
  const w = [];
  const conns = o.mode === "idle" ? o.conns : o.mode === "storm" ? o.connected + o.stormConcurrency : o.rooms * o.members + o.stalled;
  const perWorker = Math.ceil(conns / o.workers) * (o.transport === "polling" ? 2 : 1) + 100;
  const fd = fdLimits();
  if (fd && fd.soft < perWorker) w.push(`client fd limit ${fd.soft} < ${perWorker} needed per worker (ulimit -n)`);
  const sfd = serverPid ? fdLimits(serverPid) : null;
  if (sfd && sfd.soft < conns + 200) w.push(`server fd limit ${sfd.soft} < ${conns + 200} (connections + files)`);
  const ports = ephemeralPorts();
  if (ports && conns * (o.transport === "polling" ? 2 : 1) > ports - 1000) w.push(`ephemeral ports ${ports} are about as many as the connections (${conns})`);
  return w;
}

async function main() {
  let o;
  try {
    o = options();
  } catch (e) {
    process.stderr.write(`load.mjs: ${e.message}\n(node load.mjs --help lists the options)\n`);
    process.exit(2);
  }
  const emit = (obj) => {
    const line = JSON.stringify(obj);
    process.stdout.write(line + "\n");
    if (o.out) appendFileSync(o.out, line + "\n");
  };
  const started = new Date().toISOString();
  const javaOpts = (process.env.BENCH_JAVA_OPTS ?? DEFAULT_JAVA_OPTS).split(/\s+/).filter(Boolean);
  let server = null;
  let workers = [];
  let cleaning = false;
  const cleanup = async ({ fast = false } = {}) => {
    if (cleaning) return;
    cleaning = true;
    if (fast) for (const w of workers) { w.closing = true; w.child.kill("SIGKILL"); }
    else await Promise.allSettled(workers.map((w) => w.close()));
    if (server?.stop) await server.stop();
  };
  for (const sig of ["SIGINT", "SIGTERM"]) {
    process.once(sig, () => { log(`${sig}: stopping`); cleanup({ fast: true }).finally(() => process.exit(130)); });
  }
  process.on("exit", () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
    server?.killNow?.();
  });
  const head = { type: "result", mode: o.mode, label: o.label, started, db: describeDb(o), params: params(o) };
  try {
    if (o.url) {
      server = { url: o.url, pid: o.pid, exitInfo: () => null, warnings: () => null };
    } else {
      server = await startServer({ javaOpts, log });
      await sleep(1500); // JIT and pools settle; the start-up cleanup runs
    }
    head.server = { url: server.url, pid: server.pid, jar: o.url ? null : DEFAULT_JAR, javaOpts: o.url ? null : javaOpts.join(" "), benchEnv: o.url ? null : BENCH_SERVER_ENV };
    const warnings = limitWarnings(o, server.pid);
    for (const w of warnings) log("WARNING: " + w);
    const common = {
      url: server.url, transport: o.transport, size: o.size, rate: o.rate, ack: o.ack, ackTimeoutMs: 10_000, deflate: o.deflate,
      timeoutMs: o.timeoutMs, members: o.members, senders: o.senders, stormConcurrency: 0,
    };
    workers = Array.from({ length: o.workers }, (_, i) => new WorkerProc(i));
    const joinConc = Math.max(1, Math.ceil(o.concurrency / o.workers));
    await Promise.all(workers.map((w, i) => w.request("init", {
      workerId: i,
      opts: { ...common, concurrency: joinConc, stormConcurrency: Math.max(1, Math.ceil(o.stormConcurrency / o.workers)) },
    }, "init")));
    log(`${o.mode}: ${o.workers} workers against ${server.url} (${head.db})`);
    if (o.prewarm > 0) {
      // A fresh JVM interprets, then compiles (C1, C2) for tens of seconds of load; on a 2-core
      // machine the compiler threads take a core. Measure the warm server a long-running one is.
      const t = now();
      const per = Math.ceil(o.prewarm / workers.length);
      const res = await all(workers, "prewarm", (i) => ({ joins: per, rooms: [1_000_000 + 2 * i, 1_000_001 + 2 * i] }), "prewarmed");
      head.prewarm = { joins: res.reduce((a, r) => a + r.joined, 0), failures: res.reduce((a, r) => a + r.failures, 0), ms: Math.round(now() - t) };
      log(`prewarm: ${head.prewarm.joins} joins in ${head.prewarm.ms} ms`);
      await sleep(1000);
    }
    const body = o.mode === "chat" ? await runChat(workers, o, server)
      : o.mode === "search" ? await runSearch(workers, o, server, emit)
        : o.mode === "soak" ? await runSoak(workers, o, server, emit)
          : o.mode === "idle" ? await runIdle(workers, o, server)
            : await runStorm(workers, o, server);
    if (server.exitInfo()) throw new Error(`server exited during the run: ${JSON.stringify(server.exitInfo())}`);
    await cleanup();
    const sw = server.warnings?.();
    emit({ ...head, ...body, warnings: warnings, serverLogWarnings: sw ?? null, serverLog: server.logFile ?? null, finished: new Date().toISOString() });
  } catch (e) {
    log("FAILED: " + (e?.stack ?? e));
    await cleanup().catch(() => {});
    emit({ ...head, error: String(e?.message ?? e).slice(0, 2000), finished: new Date().toISOString() });
    process.exitCode = 1;
  }
}

main();
