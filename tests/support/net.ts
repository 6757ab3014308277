/** Loopback networking for the suites' own servers (PostgreSQL, gunicorn, nginx). */
import { createServer } from "node:net";

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("could not read the port of a loopback socket"));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
