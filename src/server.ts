import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { MemoryOfferMemory } from './adapters/memory/memory-offer-memory.js';
import { MemoryOpinionCache } from './adapters/memory/memory-opinion-cache.js';
import { MemoryWebchatMailbox } from './adapters/memory/memory-webchat-mailbox.js';
import { HttpImageFetcher } from './adapters/ocr/http-image-fetcher.js';
import { TesseractReader } from './adapters/ocr/tesseract-reader.js';
import { createDistressSecondOpinion } from './adapters/openai/distress-second-opinion.js';
import { createOfferSecondOpinion } from './adapters/openai/offer-second-opinion.js';
import { RedisOfferMemory } from './adapters/redis/redis-offer-memory.js';
import { RedisOpinionCache } from './adapters/redis/redis-opinion-cache.js';
import { RedisWebchatMailbox } from './adapters/redis/redis-webchat-mailbox.js';
import { createTelegramChannel } from './adapters/telegram/telegram-channel.js';
import { WebchatAdapter } from './adapters/webchat/webchat-adapter.js';
import { webchatRoutes } from './adapters/webchat/webchat-routes.js';
import { createZaloChannel, type ZaloChannel } from './adapters/zalo/zalo-channel.js';
import { assessRoutes } from './api/assess-routes.js';
import { type AppPlugin, buildApp } from './app.js';
import type { Config } from './config.js';
import { type Container, createContainer } from './container.js';
import { loadCannedReplies } from './content/canned-replies.js';
import { projectRoot } from './content/content-root.js';
import type { ChannelName } from './core/user-ref.js';
import { limitPerAddress } from './http/rate-limit.js';
import { cannedRepliesRoutes, operatorSessionAuthorizer } from './operator/canned-replies-routes.js';
import { consoleRoutes } from './operator/console-routes.js';
import { ensureFirstSupervisor } from './operator/first-supervisor.js';
import { offerLabelRoutes } from './operator/offer-label-routes.js';
import { createOperatorAlerts } from './operator/operator-alerts.js';
import { operatorApi } from './operator/operator-api.js';
import { SlaWatcher } from './operator/sla-watcher.js';
import { type InboxEnvelope, type OutboxEnvelope, parseInboxEnvelope } from './pipeline/envelopes.js';
import { OutboxSender, type UndeliverableHandler } from './pipeline/outbox.js';
import { QueueConsumer } from './pipeline/queue-consumer.js';
import type { Clock } from './ports/clock.js';
import type { WebchatMailbox } from './ports/webchat-mailbox.js';
import { recordCount } from './runtime/activity-stats.js';
import { createCaseRelay } from './runtime/case-relay.js';
import type { ChannelAdapter } from './runtime/channel-adapter.js';
import { loadContentBundle } from './runtime/content-bundle.js';
import { ConversationRuntime, type EffectRunner } from './runtime/conversation-runtime.js';
import { buildEngine, type EngineBundle } from './runtime/engine-setup.js';
import { escalationHooks } from './runtime/escalation.js';
import {
  BackgroundTasks,
  createOfferMemoryEffectRunner,
  messageKey,
} from './runtime/offer-memory-effects.js';
import { OfferMemoryService } from './runtime/offer-memory-service.js';
import { createPictureInterceptor } from './runtime/picture-reader.js';
import { RetentionJob } from './runtime/retention.js';
import { createSafetyNet } from './runtime/safety-net.js';

export interface ServerOptions {
  clock?: Clock;
  /** Project root (flows/, content/, web/); found from this file by default. */
  root?: string;
  /** Consumer name suffix, so that two servers in one test process are two consumers. */
  instanceId?: string;
  /** Extra channels (the terminal chat). */
  adapters?: ChannelAdapter[];
}

export interface Server {
  app: FastifyInstance;
  container: Container;
  engine: EngineBundle;
  runtime: ConversationRuntime;
  mailbox: WebchatMailbox;
  adapters: ReadonlyMap<ChannelName, ChannelAdapter>;
  /** The Zalo channel when config.zalo is set (tokens, undeliverable log). */
  zalo: ZaloChannel | undefined;
  /** Memory of checked offers, labels and subscriptions (the labels CLI and the console use it). */
  offerMemory: OfferMemoryService;
  /** Deletes on time what has no TTL (resolved cases, old audit and dead letters). */
  retention: RetentionJob;
  /** Work after a step: second opinions, picture reading. */
  background: BackgroundTasks;
  /** Listens (web role) and starts the workers (worker role), as ROLE says. */
  start(): Promise<void>;
  startWorkers(): void;
  /** Handles everything queued now, without background loops (tests). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** Wires config, stores, content, channels, workers and the HTTP app into one server. */
export async function createServer(
  config: Config,
  logger: Logger,
  options: ServerOptions = {},
): Promise<Server> {
  const root = options.root ?? projectRoot();
  const container = createContainer(config, logger, { clock: options.clock });
  const content = await loadContentBundle(root);
  const engine = buildEngine(content);
  const cannedReplies = loadCannedReplies(root);
  const instance = options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

  const mailbox: WebchatMailbox = container.redis
    ? new RedisWebchatMailbox(container.redis, container.keys)
    : new MemoryWebchatMailbox();

  const adapters = new Map<ChannelName, ChannelAdapter>();
  adapters.set('webchat', new WebchatAdapter(mailbox));
  const zalo = config.zalo ? createZaloChannel(container) : undefined;
  if (zalo) adapters.set('zalo', zalo.adapter);
  const undeliverable = new Map<ChannelName, UndeliverableHandler>();
  const telegram = config.telegram
    ? createTelegramChannel({ telegram: config.telegram, container, texts: engine.texts, root, logger })
    : undefined;
  if (telegram) {
    adapters.set('telegram', telegram.adapter);
    undeliverable.set('telegram', telegram.adapter.handleUndeliverable);
  }
  // Extra channels (the terminal chat, tests' recorders) come last, so they can stand in for one.
  for (const extra of options.adapters ?? []) adapters.set(extra.channel, extra);

  const background = new BackgroundTasks();
  const offerMemory = new OfferMemoryService({
    memory: container.redis ? new RedisOfferMemory(container.redis, container.keys) : new MemoryOfferMemory(),
    hashSecret: config.hashSecret,
    clock: container.clock,
    timeZone: config.timeZone,
    alertThreshold: config.offerContactAlertThreshold,
    onAlert: async (alert) => {
      // Counts and a keyed hash only: operators label the contact by its hash.
      logger.warn({ alert }, 'one contact in many forwards today');
      container.metrics.botEvents.inc({ event: 'offer_contact_alert' });
      // The console's event stream carries no text and no contact: it tells the offers page to refresh.
      await container.events
        .publish({ type: 'contact_alert', at: container.clock.now() })
        .catch((error: Error) =>
          logger.warn({ err: { message: error.message } }, 'contact alert event failed'),
        );
      const chatId = config.operators.telegramChatId;
      if (!chatId || !config.telegram) return;
      const envelope: OutboxEnvelope = {
        v: 1,
        id: `alert:${alert.contactId}:${alert.day}`,
        channel: 'telegram',
        chatId,
        userId: chatId,
        reply: {
          text: `⚠️ Contact ${alert.contactId} (${alert.kind}) appeared in ${alert.forwardsToday} distinct forwards today (threshold ${alert.threshold}), across ${alert.clusters} offer cluster(s).\nLabel it: npm run --silent labels -- set ${alert.contactId} scam`,
        },
        createdAt: container.clock.now(),
      };
      await container.outbox('telegram').add(JSON.stringify(envelope), envelope.chatId);
    },
  });
  const secondOpinion = config.openai
    ? createOfferSecondOpinion({
        apiKey: config.openai.apiKey,
        baseUrl: config.openai.baseUrl,
        model: config.openai.model,
        timeoutMs: config.openai.timeoutMs,
        flags: [...content.offers.catalogue.en.flags.values()].map((f) => ({ id: f.id, name: f.name })),
        cache: container.redis
          ? new RedisOpinionCache(container.redis, container.keys)
          : new MemoryOpinionCache(container.clock),
      })
    : undefined;

  const effectRunners: EffectRunner[] = [
    async ({ effect, message }) => {
      switch (effect.type) {
        case 'erase_user':
          await container.users.erase(message.user);
          await offerMemory.forgetUser(message.user);
          if (message.channel === 'webchat') await mailbox.erase(message.chat.id);
          return { erased: true };
        case 'quick_exit':
          if (message.channel === 'webchat') await mailbox.erase(message.chat.id);
          return undefined;
        case 'count':
          container.metrics.botEvents.inc({ event: effect.event, ...(effect.labels ?? {}) });
          // The dashboard's daily figures; a lost count must never cost the person their answer,
          // nor hold it up: an offer check counts a dozen fields, written while the step goes on
          // (stop and drain wait for them).
          background.run(() =>
            recordCount(
              container.stats,
              { now: container.clock.now(), timeZone: config.timeZone },
              effect.event,
              effect.labels,
            ).catch((error: Error) => logger.warn({ err: { message: error.message } }, 'stats count failed')),
          );
          return undefined;
        default:
          return undefined;
      }
    },
    createOfferMemoryEffectRunner({
      service: offerMemory,
      secondOpinion,
      texts: engine.texts,
      timeZone: config.timeZone,
      background,
      sendLater: (message, replies, suffix) =>
        runtime.enqueueReplies(
          message,
          replies,
          `${message.channel}:${message.chat.id}:${message.messageId}:${suffix}`,
        ),
      logger,
    }),
  ];
  if (zalo) effectRunners.push(zalo.effectRunner(content.texts));
  if (telegram) effectRunners.push(telegram.adapter.effectRunner);

  const newSessionId = () => randomBytes(5).toString('base64url');
  const operatorAlerts = createOperatorAlerts(config, logger);
  const caseDeps = {
    cases: container.cases,
    events: container.events,
    clock: container.clock,
    config,
    logger,
    alertOperators: operatorAlerts.enabled ? (text: string) => operatorAlerts.send(text) : undefined,
  };
  const escalation = escalationHooks({
    cases: container.cases,
    events: container.events,
    clock: container.clock,
    logger,
    safety: content.safety,
    texts: content.texts,
    engine: () => engine,
    newSessionId,
    enqueue: (message, replies, idBase) => runtime.enqueueReplies(message, replies, idBase),
    caseDeps,
    discreetCodeWord: config.discreetCodeWord,
    isOffer: (text) => content.offers.checker.check(text).isOffer,
    // People's own words go to the model only when the deployer said so (DISTRESS_LLM=on).
    secondLook:
      config.openai && config.distressLlm
        ? {
            opinion: createDistressSecondOpinion({
              apiKey: config.openai.apiKey,
              baseUrl: config.openai.baseUrl,
              model: config.openai.model,
              timeoutMs: config.openai.timeoutMs,
            }),
            runInBackground: (task) => background.run(task),
            withUserState: (user, work) => runtime.withUserState(user, work),
            count: (outcome) => container.metrics.botEvents.inc({ event: 'distress_llm', level: outcome }),
            messagesPerMinute: config.userMessagesPerMinute,
          }
        : undefined,
  });
  effectRunners.push(escalation.effectRunner);
  // Pictures: at most 5 MB, read within 20 s, in tesseract's worker thread (started on first use).
  const pictureReader = new TesseractReader({ timeoutMs: 20_000 });
  const pictureFetcher = new HttpImageFetcher({
    maxBytes: 5 * 1024 * 1024,
    timeoutMs: 10_000,
    telegram: config.telegram
      ? { apiRoot: config.telegram.apiRoot, token: config.telegram.token }
      : undefined,
  });

  const runtime: ConversationRuntime = new ConversationRuntime({
    users: container.users,
    outbox: (channel) => container.outbox(channel),
    adapters,
    engine: () => engine,
    newSessionId,
    clock: container.clock,
    logger,
    pseudonym: container.pseudonym,
    effectRunners,
    // Safety first: the distress check sees every message before anything else.
    interceptors: [
      escalation.interceptor,
      createPictureInterceptor({
        fetcher: pictureFetcher,
        reader: pictureReader,
        texts: engine.texts,
        background,
        sendLater: (message, replies, suffix) =>
          runtime.enqueueReplies(
            message,
            replies,
            `${message.channel}:${message.chat.id}:${message.messageId}:${suffix}`,
          ),
        handleText: (message) => runtime.handleMessage(message),
        logger,
      }),
    ],
    messagesPerMinute: config.userMessagesPerMinute,
    // A worker silent past the reclaim time is taken to be dead: its entries and its leases go.
    leaseMs: Math.min(15_000, config.queueReclaimIdleMs),
    slowDown: (state) => ({ text: content.texts.t(state.locale, 'engine.slow_down'), locale: state.locale }),
    onHandled: (message) => {
      container.metrics.inboundMessages.inc({ channel: message.channel });
      background.release(messageKey(message));
    },
  });

  const relay = createCaseRelay({
    runtime,
    cases: container.cases,
    caseDeps,
    texts: content.texts,
    safety: content.safety,
    logger,
  });
  const slaWatcher = new SlaWatcher({
    cases: container.cases,
    events: container.events,
    clock: container.clock,
    config,
    logger,
    locks: container.locks,
    notifyUserOfWait: (c) => relay.notifyUserOfWait(c),
    alertOperators: (text) => operatorAlerts.send(text),
  });

  const retention = new RetentionJob({
    cases: container.cases,
    queues: () => [container.inboxQueue, ...[...adapters.keys()].map((channel) => container.outbox(channel))],
    clock: container.clock,
    config,
    logger,
    locks: container.locks,
  });

  /** One conversation (a chat): its messages are handled in the order they came. */
  const conversationOf = (envelope: InboxEnvelope): string | undefined => {
    const adapter = adapters.get(envelope.channel);
    const chat = adapter?.chatOf?.(envelope) ?? adapter?.toInbound(envelope)[0]?.chat.id;
    return chat === undefined ? undefined : `${envelope.channel}:${chat}`;
  };
  container.inbox.orderBy(conversationOf);
  const inboxConsumer = new QueueConsumer({
    queue: container.inboxQueue,
    consumer: `${instance}-inbox`,
    logger,
    handle: (entry) => runtime.handleEntry(entry),
    orderingKey: (entry) => conversationOf(parseInboxEnvelope(entry.payload)) ?? entry.id,
    // Even when several processes read the inbox, a chat's next message waits for the one before.
    orderAcrossConsumers: { waitMs: Math.floor(config.queueReclaimIdleMs / 4) },
    reclaimIdleMs: config.queueReclaimIdleMs,
  });

  const senders = [...adapters.values()].map(
    (adapter) =>
      new OutboxSender({
        queue: container.outbox(adapter.channel),
        sender: adapter.sender,
        logger,
        consumerName: `${instance}-out-${adapter.channel}`,
        metrics: container.metrics,
        onUndeliverable: async (envelope, error) => {
          await undeliverable.get(adapter.channel)?.(envelope, error);
          await relay.onUndeliverable(envelope, error);
        },
        onDelivered: (envelope) => relay.onDelivered(envelope),
        reclaimIdleMs: config.queueReclaimIdleMs,
        // Retrying in place past the reclaim time would let another worker send the same entry.
        maxInlineRetryMs: Math.floor(config.queueReclaimIdleMs / 2),
      }),
  );

  // Every /api/operator route shares one budget per address (same counters as the operator API).
  const operatorLimit = {
    max: config.http.rateLimits.operator,
    redis: container.redis,
    nameSpace: container.keys.operatorRateLimit(),
  };
  const plugins: AppPlugin[] = [
    (app) =>
      webchatRoutes(app, {
        inbox: container.inbox,
        safetyNet: createSafetyNet(content.safety),
        mailbox,
        webRoot: join(root, 'web'),
        allowedOrigins: config.webchat.allowedOrigins,
        messagesPerMinute: config.webchat.messagesPerMinute,
        requestsPerMinute: config.http.rateLimits.webchat,
        redis: container.redis,
        rateLimitNameSpace: container.keys.rateLimit('webchat'),
      }),
    (app) =>
      assessRoutes(app, {
        checker: content.offers.checker,
        apiKeys: config.assessApiKeys,
        redis: container.redis,
        rateLimitNameSpace: container.keys.rateLimit('assess'),
        requestsPerMinute: config.http.rateLimits.assess,
      }),
    operatorApi({
      cases: container.cases,
      operators: container.operators,
      events: container.events,
      clock: container.clock,
      config,
      logger,
      redis: container.redis,
      keys: container.keys,
      relay: (c, text, operator, entryId) => relay.relay(c, text, operator, entryId),
      onResolved: (c) => relay.onResolved(c),
      stats: container.stats,
      flagName: (id) => {
        const vi = content.offers.catalogue.vi.flags.get(id)?.name;
        const en = content.offers.catalogue.en.flags.get(id)?.name;
        return vi && en ? { vi, en } : undefined;
      },
    }),
    async (app) => {
      await limitPerAddress(app, {
        max: config.http.rateLimits.console,
        redis: container.redis,
        nameSpace: container.keys.rateLimit('console'),
      });
      await consoleRoutes(app, {
        webRoot: join(root, 'web'),
        slaSeconds: config.operators.slaSeconds,
        outcomes: config.operators.outcomes,
      });
    },
    async (app) => {
      await limitPerAddress(app, operatorLimit);
      await cannedRepliesRoutes(app, {
        replies: cannedReplies,
        authorize: operatorSessionAuthorizer(container.operators, container.clock),
      });
    },
  ];
  const labels = offerLabelRoutes({
    offerMemory,
    operators: container.operators,
    cases: container.cases,
    clock: container.clock,
    outbox: (channel) => container.outbox(channel),
    texts: engine.texts,
  });
  plugins.push(async (app) => {
    await limitPerAddress(app, operatorLimit);
    await labels(app);
  });
  if (zalo) plugins.push(zalo.plugin);
  if (telegram?.plugin) plugins.push(telegram.plugin);
  const app = await buildApp({ container, plugins });

  let workersRunning = false;
  const startWorkers = () => {
    if (workersRunning) return;
    workersRunning = true;
    inboxConsumer.start();
    for (const sender of senders) sender.start();
    slaWatcher.start();
    retention.start();
    zalo?.tokens.startTimer();
  };

  return {
    app,
    container,
    engine,
    runtime,
    mailbox,
    adapters,
    zalo,
    offerMemory,
    retention,
    background,
    async start() {
      const first = await ensureFirstSupervisor(container.operators, logger);
      if (first) {
        // Printed once, to the terminal only (never the logs), so a newcomer can open the console.
        process.stdout.write(
          `\nOperator console: http://localhost:${config.http.port}/console\n  first supervisor: ${first.name}\n  secret (shown once): ${first.secret}\n\n`,
        );
      }
      if (config.role !== 'worker') await app.listen({ port: config.http.port, host: config.http.host });
      if (config.role !== 'web') startWorkers();
      await telegram?.start({ poll: config.role !== 'web' });
    },
    startWorkers,
    async drain() {
      // Replies of replies (a case confirmation after a step) need a second round.
      for (let round = 0; round < 5; round++) {
        await background.idle();
        const handled = await inboxConsumer.drainOnce();
        let sent = 0;
        for (const sender of senders) sent += await sender.drainOnce();
        if (handled === 0 && sent === 0) return;
      }
    },
    async stop() {
      zalo?.tokens.stopTimer();
      await telegram?.stop();
      await app.close();
      await background.idle();
      await pictureReader.close();
      if (workersRunning) {
        slaWatcher.stop();
        await retention.stop();
        await inboxConsumer.stop();
        await Promise.all(senders.map((s) => s.stop()));
      }
      await mailbox.close();
      await container.close();
    },
  };
}
