import 'reflect-metadata';
import type { Server } from 'node:http';
import { loadConfig } from './config';
import { log, setLogLevel } from './core/logger';
import { isReady, migrate, openDatabase } from './db/database';
import { createApp } from './app';
import { seedDemo } from './demo/seed-demo';
import { developmentToken } from './demo/dev-token';

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  const database = await openDatabase(config);
  const applied = await migrate(database.dataSource);
  if (applied.length) log('info', 'migrations applied', { migrations: applied });
  if (config.seedDemo) {
    const seeded = await seedDemo(database.dataSource);
    if (seeded) log('info', 'demo registry loaded');
  }
  const { app, apollo } = await createApp({ config, db: database.dataSource, ready: () => isReady(database.dataSource) });
  const server: Server = app.listen(config.port, () => {
    log('info', 'listening', { port: config.port });
    if (config.seedDemo && config.jwt.secret) {
      void developmentToken(database.dataSource, config.jwt.secret).then((token) => {
        process.stdout.write(
          `\nKrug is running.\n  IDE:     http://localhost:${config.port}/graphql\n  Token (CASE_MANAGER, 12 h):\n${token}\n\n  More tokens: npm run token -- --role COORDINATOR --agency <id>\n\n`,
        );
      });
    }
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down', { signal });
    // Stop accepting connections; in-flight requests finish, idle keep-alive connections are closed.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timeout = setTimeout(() => server.closeAllConnections(), 10_000);
    await closed;
    clearTimeout(timeout);
    await apollo.stop();
    await database.close();
    log('info', 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  log('error', 'failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
