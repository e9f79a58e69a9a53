import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './observability/logger.js';
import { createServer } from './server.js';

/** Process entry: config -> server -> listen and/or work; clean shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.issues) process.stderr.write(`Configuration error: ${line}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (!config.redis) {
    logger.warn(
      'REDIS_URL is not set: using the embedded in-memory store (data is lost on restart; fine for trying the bot)',
    );
  }
  if (config.hashSecretEphemeral) logger.warn('HASH_SECRET is not set: pseudonyms change on every start');

  const server = await createServer(config, logger);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new webhooks, finishing work in flight');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    try {
      await server.stop();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  await server.start();
  if (config.role !== 'worker') {
    logger.info(
      {
        url: `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${config.http.port}`,
        store: server.container.backend,
      },
      'listening: web chat at /chat, operator console at /console',
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
