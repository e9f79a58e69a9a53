/**
 * Supervisor labels for the offer memory. One JSON line on stdout per command:
 *   npm run --silent labels -- set <cluster-id | contact-hash | phone/@handle/link> scam|trafficking_risk|legitimate [--by NAME]
 *   npm run --silent labels -- get <cluster-id | contact-hash | phone/@handle/link>
 *   npm run --silent labels -- list [--limit N]
 * A contact given in clear is hashed (HMAC with HASH_SECRET) before any lookup and never printed.
 * Setting a label queues one message to every user who asked to be told about that offer.
 */
import { userInfo } from 'node:os';
import { MemoryOfferMemory } from '../adapters/memory/memory-offer-memory.js';
import { RedisOfferMemory } from '../adapters/redis/redis-offer-memory.js';
import { loadConfig } from '../config.js';
import { createContainer } from '../container.js';
import { projectRoot } from '../content/content-root.js';
import { loadTextCatalogue } from '../content/load-texts.js';
import { createLogger } from '../observability/logger.js';
import { OFFER_LABELS, type OfferLabel } from '../ports/offer-memory.js';
import { deliverLabelNotifications } from '../runtime/offer-memory-effects.js';
import { OfferMemoryService } from '../runtime/offer-memory-service.js';

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const by = option(args, '--by') ?? `cli:${userInfo().username || 'supervisor'}`;
  const limit = Number(option(args, '--limit') ?? 20);
  const [command, target, label] = args;
  const config = loadConfig();
  if (config.hashSecretEphemeral) {
    print({ ok: false, error: 'HASH_SECRET is not set: contact hashes would not match the bot’s' });
    return 2;
  }
  const container = createContainer(config, createLogger('silent'));
  try {
    const service = new OfferMemoryService({
      memory: container.redis
        ? new RedisOfferMemory(container.redis, container.keys)
        : new MemoryOfferMemory(),
      hashSecret: config.hashSecret,
      clock: container.clock,
      timeZone: config.timeZone,
      alertThreshold: config.offerContactAlertThreshold,
    });
    if (command === 'list') {
      print({ ok: true, ...(await service.list(Number.isFinite(limit) && limit > 0 ? limit : 20)) });
      return 0;
    }
    if (command === 'get' && target) {
      const resolved = service.resolveTarget(target);
      if (!resolved) {
        print({ ok: false, error: 'not a cluster id, contact hash, phone number, @handle or link' });
        return 2;
      }
      print({ ok: true, ...resolved, label: (await service.getLabel(resolved.target)) ?? null });
      return 0;
    }
    if (command === 'set' && target && label) {
      if (!(OFFER_LABELS as readonly string[]).includes(label)) {
        print({ ok: false, error: `label must be one of ${OFFER_LABELS.join(', ')}` });
        return 2;
      }
      const outcome = await service.label(target, label as OfferLabel, by);
      if (!outcome) {
        print({ ok: false, error: 'not a cluster id, contact hash, phone number, @handle or link' });
        return 2;
      }
      const texts = loadTextCatalogue(projectRoot());
      const notified = await deliverLabelNotifications(outcome, {
        outbox: container.outbox,
        texts,
        clock: container.clock,
      });
      print({
        ok: true,
        kind: outcome.kind,
        target: outcome.target,
        label: outcome.record.label,
        by: outcome.record.by,
        at: new Date(outcome.record.at).toISOString(),
        notified,
      });
      return 0;
    }
    print({
      ok: false,
      error:
        'usage: labels set <target> scam|trafficking_risk|legitimate [--by NAME] | get <target> | list [--limit N]',
    });
    return 2;
  } finally {
    await container.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    print({ ok: false, error: (err as Error).message });
    process.exitCode = 1;
  },
);
