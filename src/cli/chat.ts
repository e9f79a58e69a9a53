/**
 * Talk to the bot in the terminal, on the embedded in-memory store: the fastest way to try it.
 *   npm run chat
 * Buttons are shown as numbers: type the number to press one. /exit or Ctrl-D leaves.
 */
import { createInterface } from 'node:readline/promises';
import { formatForTerminal, TerminalAdapter } from '../adapters/terminal/terminal-adapter.js';
import { loadConfig } from '../config.js';
import type { Reply, ReplyButton } from '../core/messages.js';
import { createLogger } from '../observability/logger.js';
import { createServer } from '../server.js';

const base = loadConfig();
const config = {
  ...base,
  redis: undefined,
  logLevel: 'silent' as const,
  telegram: undefined,
  zalo: undefined,
};
let shown: ReplyButton[] = [];
const pending: Reply[] = [];
const adapter = new TerminalAdapter('local', (reply) => pending.push(reply));
const server = await createServer(config, createLogger('silent'), { adapters: [adapter] });

const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
let sequence = 0;

async function send(input: { text?: string; button?: string }): Promise<void> {
  sequence += 1;
  await server.container.inbox.accept('terminal', `t${sequence}`, { id: `t${sequence}`, ...input });
  await server.drain();
  shown = [];
  for (const reply of pending.splice(0)) {
    const { text, buttons } = formatForTerminal(reply, shown.length + 1);
    shown.push(...buttons);
    process.stdout.write(`\n${text}\n`);
  }
}

await send({ text: '/start' });
rl.setPrompt('\n> ');
rl.prompt();
// Lines are read as a stream so that piped input (tests, scripts) loses nothing while we answer.
for await (const raw of rl) {
  const line = raw.trim();
  if (line) {
    const number = Number(line);
    const button = Number.isInteger(number) && number >= 1 ? shown[number - 1] : undefined;
    await send(button ? { button: button.payload } : { text: line });
    if (line === '/exit') break;
  }
  rl.prompt();
}
rl.close();
await server.stop();
