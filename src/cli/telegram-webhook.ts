import { manageWebhook, type WebhookCommand } from '../adapters/telegram/telegram-webhook-admin.js';
import { loadConfig } from '../config.js';
import { ConfigError } from '../errors.js';

/**
 * `npm run telegram:webhook -- set|delete|info`: registers the webhook at
 * PUBLIC_BASE_URL/webhooks/telegram with TELEGRAM_WEBHOOK_SECRET, removes it, or shows what
 * Telegram has. Prints the answer as JSON; the token never appears in the output.
 */
async function main(): Promise<number> {
  const command = process.argv[2];
  if (command !== 'set' && command !== 'delete' && command !== 'info') {
    process.stderr.write('Usage: npm run telegram:webhook -- set|delete|info\n');
    return 64;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.issues) process.stderr.write(`Configuration error: ${line}\n`);
      return 78;
    }
    throw error;
  }
  if (!config.telegram) {
    process.stderr.write('TELEGRAM_BOT_TOKEN is not set: there is no bot to configure.\n');
    return 78;
  }
  try {
    const result = await manageWebhook(config.telegram, config.http.publicBaseUrl, command as WebhookCommand);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`telegram:webhook ${command} failed: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
