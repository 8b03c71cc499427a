import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import type { GraphQLSchema } from 'graphql';
import type { Config } from './config';
import { createApp } from './app';
import { log } from './core/logger';

/** A listening Krug server and how to stop it. */
export interface RunningServer {
  /** The base URL, e.g. `http://localhost:4000`. */
  url: string;
  port: number;
  server: Server;
  /**
   * Stops gracefully: no new connections, in-flight requests finish (their connections then close),
   * idle keep-alive connections close at once; after `graceMs` any connection still open is cut.
   * Resolves when the HTTP server and Apollo have stopped. The database is the caller's to close.
   */
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Readiness probe for /readyz. */
  ready?: () => Promise<boolean>;
  schema?: GraphQLSchema;
  /** How long in-flight requests get to finish before their connections are cut (default 10 s). */
  graceMs?: number;
}

/** Builds the app and listens on `config.port` (0: an ephemeral port) and `config.host` (default: every interface). */
export async function startServer(config: Config, db: DataSource, options: ServerOptions = {}): Promise<RunningServer> {
  const { app, apollo } = await createApp({ config, db, ready: options.ready, schema: options.schema });
  const server = app.listen({ port: config.port, host: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Behind a load balancer the server must keep idle connections longer than the balancer does (60 s on most).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const inFlight = new Set<ServerResponse>();
  let stopping: Promise<void> | undefined;
  server.on('request', (_req, res: ServerResponse) => {
    inFlight.add(res);
    if (stopping && !res.headersSent) res.setHeader('connection', 'close');
    res.on('close', () => inFlight.delete(res));
  });

  const port = (server.address() as AddressInfo).port;
  const stop = () => {
    stopping ??= (async () => {
      log('info', 'stopping HTTP server', { inFlight: inFlight.size });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A response still to be written tells its client that this connection ends with it.
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      server.closeIdleConnections();
      const timer = setTimeout(() => {
        log('warn', 'cutting connections still open after the grace period', { inFlight: inFlight.size });
        server.closeAllConnections();
      }, options.graceMs ?? 10_000);
      timer.unref();
      // Connections that become idle after their last response are closed as they do.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      sweep.unref();
      try {
        await closed;
      } finally {
        clearTimeout(timer);
        clearInterval(sweep);
      }
      await apollo.stop();
      log('info', 'HTTP server stopped');
    })();
    return stopping;
  };
  return { url: `http://localhost:${port}`, port, server, stop };
}
