import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createContainer } from '../container.js';
import { AppError } from '../errors.js';
import { createLogger } from '../observability/logger.js';
import { OPERATOR_NAME, OPERATOR_ROLES, type OperatorRole } from '../ports/operator-store.js';

/**
 * Operator accounts from the command line, on the same store as the server (REDIS_URL):
 *   operator add NAME --role operator|supervisor   → {"name","role","secret"} (the secret, once)
 *   operator list                                  → one JSON line per account, no secrets
 *   operator disable NAME                          → {"name","disabled":true}
 *   operator reset NAME                            → {"name","secret"}
 */
const USAGE = 'usage: operator add NAME --role operator|supervisor | list | disable NAME | reset NAME';

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { role: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, name] = positionals;
  if (values.help || !command) fail(USAGE, values.help ? 0 : 2);
  if (command !== 'list' && (!name || !OPERATOR_NAME.test(name))) {
    fail(`${command}: NAME must be 1-40 characters of A-Z a-z 0-9 _ . - (starting with a letter or digit)`);
  }

  const config = loadConfig();
  if (!config.redis) {
    process.stderr.write(
      'note: REDIS_URL is not set, so this account lives only in this process and the server will not see it.\n' +
        'On the embedded default the server creates a first supervisor itself and prints its secret at start.\n',
    );
  }
  const container = createContainer(config, createLogger('silent'));
  const store = container.operators;
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  try {
    switch (command) {
      case 'add': {
        const role = values.role ?? 'operator';
        if (!(OPERATOR_ROLES as readonly string[]).includes(role))
          fail('--role must be operator or supervisor');
        print(await store.add(name!, role as OperatorRole, Date.now()));
        break;
      }
      case 'list':
        for (const account of await store.list()) print(account);
        break;
      case 'disable':
        if (!(await store.disable(name!))) fail(`no account named ${name}`, 1);
        print({ name, disabled: true });
        break;
      case 'reset': {
        const secret = await store.reset(name!);
        if (!secret) fail(`no account named ${name}`, 1);
        print({ name, secret });
        break;
      }
      default:
        fail(USAGE);
    }
  } finally {
    await container.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof AppError ? `${error.code}: ${error.message}` : (error as Error).message;
  fail(message, 1);
});
