// Starts the real server jar on a free port and stops it again.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const JAR = process.env.GHOSTROOMS_JAR ?? resolve(here, "../../ghostrooms-server/target/ghostrooms-server.jar");

/** Limits lifted far enough that a suite's many rooms, joins and sends from one IP are not refused. */
export const GENEROUS = {
  RATE_LIMIT_MESSAGES_PER_MINUTE: "1000",
  RATE_LIMIT_ROOM_CREATE_PER_HOUR: "100000",
  RATE_LIMIT_LOOKUPS_PER_MINUTE: "100000",
  RATE_LIMIT_UPLOADS_PER_HOUR: "100000",
  MAX_CONNECTIONS_PER_IP: "100000",
};

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Starts a server; env overrides are added to the defaults. Resolves to {url, port, stop}. */
export async function startServer(env = {}) {
  const port = await freePort();
  const uploadDir = mkdtempSync(join(tmpdir(), "gr-e2e-"));
  const childEnv = { ...process.env, PORT: String(port), UPLOAD_DIR: uploadDir, ...env };
  delete childEnv.DATABASE_URL;
  if (process.env.E2E_DATABASE_URL) childEnv.DATABASE_URL = process.env.E2E_DATABASE_URL;
  if (env.DATABASE_URL) childEnv.DATABASE_URL = env.DATABASE_URL;
  const child = spawn("java", ["-jar", JAR], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const ready = new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("server did not start in 30 s:\n" + output)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes("GhostRooms listening on")) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  await ready;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    uploadDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((ok) => child.once("exit", ok));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}
