// A real nginx with WebDAV PUT/DELETE on a free loopback port: the DUFS-compatible file server.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./server.mjs";

const BINARY = "/usr/sbin/nginx";

export function nginxAvailable() {
  return existsSync(BINARY);
}

export async function startNginxDav() {
  const root = mkdtempSync(join(tmpdir(), "gr-e2e-nginx-"));
  const data = join(root, "data");
  const body = join(root, "body");
  for (const dir of [data, body]) {
    mkdirSync(dir);
    chmodSync(dir, 0o777);
  }
  const port = await freePort();
  const user = userInfo().username === "root" ? "user root;\n" : "";
  const conf = `${user}daemon off;\nworker_processes 1;\npid ${root}/nginx.pid;\nerror_log ${root}/error.log;\n`
    + `events { worker_connections 64; }\nhttp {\n access_log off;\n client_body_temp_path ${body};\n`
    + ` proxy_temp_path ${body};\n fastcgi_temp_path ${body};\n uwsgi_temp_path ${body};\n scgi_temp_path ${body};\n`
    + ` server {\n  listen 127.0.0.1:${port};\n  root ${data};\n  client_max_body_size 100m;\n`
    + `  location / { dav_methods PUT DELETE; create_full_put_path on; }\n }\n}\n`;
  writeFileSync(join(root, "nginx.conf"), conf);
  const child = spawn(BINARY, ["-p", root, "-c", join(root, "nginx.conf")], { stdio: "ignore" });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const up = await new Promise((ok) => {
      const s = connect(port, "127.0.0.1", () => { s.end(); ok(true); });
      s.on("error", () => ok(false));
    });
    if (up) {
      return {
        url: `http://127.0.0.1:${port}/`,
        data,
        async stop() {
          if (child.exitCode === null) {
            const exited = new Promise((ok) => child.once("exit", ok));
            child.kill("SIGTERM");
            await exited;
          }
          rmSync(root, { recursive: true, force: true });
        },
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error("nginx did not start");
}
