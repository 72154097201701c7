// Server process helpers: start the jar on a free port, and read CPU / RSS / heap of a pid.
import { spawn, execFile } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync, readdirSync, mkdirSync, createWriteStream, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../e2e/lib/server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const BENCH_DIR = resolve(here, "..");
export const DEFAULT_JAR = process.env.GHOSTROOMS_JAR ?? resolve(BENCH_DIR, "../ghostrooms-server/target/ghostrooms-server.jar");

/** Limits lifted when the bench starts the server itself (each value is within Config's range). */
export const BENCH_SERVER_ENV = {
  RATE_LIMIT_MESSAGES_PER_MINUTE: "1000000",
  // Config accepts at most 1,000,000 for these two (10,000,000 stops startup).
  RATE_LIMIT_ROOM_CREATE_PER_HOUR: "1000000",
  RATE_LIMIT_LOOKUPS_PER_MINUTE: "1000000",
  RATE_LIMIT_SOCKET_EVENTS_PER_MINUTE: "10000000",
  MAX_CONNECTIONS_PER_IP: "1000000",
  ROOM_MAX_CAPACITY: "10000",
  // lets --size go past the default 2000 characters (a websocket frame still carries at most 128 KB)
  MAX_MESSAGE_LENGTH: "100000",
  // Not lifted on purpose: SESSION_IDLE_MINUTES (joined sessions are never idle-deleted),
  // WORKER_THREADS / DB_POOL_SIZE (we measure the shipped defaults), the fixed limits of the README
  // (256 pending events per socket -> SERVER_BUSY, 128 KB frames) which are part of what we measure.
};

// One helper for a free loopback port, shared with the e2e suite (node built-ins only there).
export { freePort };

/**
 * Starts the jar with the bench limits. DATABASE_URL, PERSISTENCE, JAVA options etc. come from the
 * environment of the bench (so run-matrix.sh can choose the database). Resolves to
 * {url, pid, stop(), logFile, warnings()}.
 */
export async function startServer({ jar = DEFAULT_JAR, javaOpts = [], log = () => {} } = {}) {
  const port = await freePort();
  const uploadDir = mkdtempSync(join(tmpdir(), "gr-bench-"));
  const outDir = process.env.BENCH_OUT_DIR ?? resolve(BENCH_DIR, "out"); // run-matrix.sh: its run's directory
  mkdirSync(outDir, { recursive: true });
  const logFile = join(outDir, `server-${new Date().toISOString().replace(/[:.]/g, "-")}-${port}.log`);
  const logStream = createWriteStream(logFile);
  const env = { ...process.env, PORT: String(port), UPLOAD_DIR: uploadDir, ...BENCH_SERVER_ENV };
  // Never let a .env in the cwd surprise us: the server reads .env from its working dir.
  const child = spawn("java", [...javaOpts, "-jar", jar], {
    env, cwd: uploadDir, stdio: ["ignore", "pipe", "pipe"],
  });
  let head = ""; // the first 20,000 characters, for error messages
  let listening = false;
  let onListening = () => {};
  let warnLines = 0;
  const warnSamples = [];
  // Lines are split per stream, and a line may arrive in two chunks: keep the unfinished tail.
  // (Checking only `head` missed the listening line when startup logged more than 20,000 chars.)
  const lineReader = () => {
    let partial = "";
    return (chunk) => {
      logStream.write(chunk);
      const s = partial + chunk.toString();
      if (head.length < 20000) head += chunk.toString();
      const lines = s.split("\n");
      partial = lines.pop();
      for (const line of lines) {
        if (!listening && line.includes("GhostRooms listening on")) { listening = true; onListening(); }
        if (/\b(WARN|ERROR)\b|Exception/.test(line)) {
          warnLines++;
          if (warnSamples.length < 5) warnSamples.push(line.slice(0, 300));
        }
      }
    };
  };
  child.stdout.on("data", lineReader());
  child.stderr.on("data", lineReader());
  let exitInfo = null;
  const exited = new Promise((ok) => child.once("exit", (code, signal) => { exitInfo = { code, signal }; ok(exitInfo); }));
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => { child.kill("SIGKILL"); fail(new Error("server did not start in 60 s:\n" + head)); }, 60_000);
    onListening = () => { clearTimeout(timer); ok(); };
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code ?? signal}:\n${head}`));
    });
  });
  log(`server pid ${child.pid} on port ${port} (log ${logFile})`);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    logFile,
    warnings: () => ({ count: warnLines, samples: warnSamples }),
    /** null while running, else {code, signal} (a crash during a run must not go unnoticed) */
    exitInfo: () => exitInfo,
    /** Synchronous last resort (process 'exit' handlers): never leave a server behind. */
    killNow() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      logStream.end();
      rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}

const CLK_TCK = 100; // Linux USER_HZ; `getconf CLK_TCK` is 100 on every mainstream kernel

/** utime+stime of a pid in seconds, or null. */
export function cpuSeconds(pid) {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name may contain spaces: fields start after the last ')'
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state); utime is field 14, stime field 15
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** A CPU meter: start(), then stop() gives percent of ONE core (200 = two cores busy), like top. */
export function cpuMeter(pid) {
  const t0 = performance.now();
  const c0 = cpuSeconds(pid);
  return () => {
    const c1 = cpuSeconds(pid);
    const secs = (performance.now() - t0) / 1000;
    if (c0 === null || c1 === null || secs <= 0) return null;
    return Math.round(((c1 - c0) / secs) * 1000) / 10;
  };
}

/** {rssMB, hwmMB, threads, fds} of a pid from /proc, fields null when unreadable. */
export function memInfo(pid) {
  const out = { rssMB: null, hwmMB: null, threads: null, fds: null };
  if (!pid) return out;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key) => {
      const m = status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"));
      return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
    };
    out.rssMB = kb("VmRSS");
    out.hwmMB = kb("VmHWM");
    const t = status.match(/^Threads:\s+(\d+)/m);
    out.threads = t ? Number(t[1]) : null;
  } catch { /* gone or not ours */ }
  try {
    out.fds = readdirSync(`/proc/${pid}/fd`).length;
  } catch { /* not ours */ }
  return out;
}

/**
 * Used Java heap in MB via `jcmd <pid> GC.heap_info` (sums the "used" of the top-level heap /
 * generation lines, not Metaspace), or null if jcmd is missing or fails. {gc: true} runs a full
 * collection first (`GC.run`), so the figure is the live heap.
 */
export function heapMB(pid, { gc = false } = {}) {
  if (!pid) return Promise.resolve(null);
  // with gc: one jcmd run does both (`-f` reads commands from a file), saving a JVM start
  let args = [String(pid), "GC.heap_info"];
  let cmdFile = null;
  if (gc) {
    cmdFile = join(mkdtempSync(join(tmpdir(), "gr-jcmd-")), "cmds");
    writeFileSync(cmdFile, "GC.run\nGC.heap_info\n");
    args = [String(pid), "-f", cmdFile];
  }
  return new Promise((ok) => {
    execFile("jcmd", args, { timeout: 30_000 }, (err, stdout) => {
      if (cmdFile) rmSync(dirname(cmdFile), { recursive: true, force: true });
      if (err || !stdout) return ok(null);
      let usedK = 0;
      let found = false;
      for (const line of stdout.split("\n")) {
        if (/^\s*(Metaspace|class space)/.test(line)) continue;
        // top-level lines are indented by one space: " garbage-first heap   total 262144K, used 1234K"
        // " def new generation   total ..., used ...", " tenured generation   total ..., used ..."
        const m = line.match(/^ ?\S.*?total (\d+)K, used (\d+)K/);
        if (m && !/^\s{2,}/.test(line)) { usedK += Number(m[2]); found = true; }
      }
      ok(found ? Math.round((usedK / 1024) * 10) / 10 : null);
    });
  });
}

/** `jcmd <pid> GC.run` (a full collection), resolves to true when it worked. */
export function gcRun(pid) {
  if (!pid) return Promise.resolve(false);
  return new Promise((ok) => {
    execFile("jcmd", [String(pid), "GC.run"], { timeout: 30_000 }, (err) => ok(!err));
  });
}

/** Soft and hard limit of open files of this process, from /proc/self/limits. */
export function fdLimits(pid = "self") {
  try {
    const limits = readFileSync(`/proc/${pid}/limits`, "utf8");
    const m = limits.match(/^Max open files\s+(\S+)\s+(\S+)/m);
    const n = (x) => (x === "unlimited" ? Infinity : Number(x));
    return m ? { soft: n(m[1]), hard: n(m[2]) } : null;
  } catch {
    return null;
  }
}

export function ephemeralPorts() {
  try {
    const [lo, hi] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    return hi - lo + 1;
  } catch {
    return null;
  }
}
