import type { Case } from '../../src/core/cases/case.js';
import { detectDistress } from '../../src/core/distress/detect.js';
import { operatorApi } from '../../src/operator/operator-api.js';
import type { OutboxEnvelope } from '../../src/pipeline/envelopes.js';
import type { OperatorRole } from '../../src/ports/operator-store.js';
import { eventually, startTestServer, type TestServer } from './test-server.js';

/** A whole server on the test Redis, listening on a free port, with the operator API and workers. */
export interface ConsoleServer {
  ts: TestServer;
  url: string;
  /** True when the server itself wires the operator API (the integrator did); false when this helper did. */
  apiWiredByServer: boolean;
  account(name: string, role: OperatorRole): Promise<string>;
  /**
   * The open case of a web chat session: the one the distress wiring opened, or (while that wiring
   * is not in this branch) one opened here from the detector's verdict on `text`.
   */
  caseForSession(session: string, text: string): Promise<{ case: Case; openedByHelper: boolean }>;
  close(): Promise<void>;
}

/** Starts the server for the console browser tests. */
export async function startConsoleServer(): Promise<ConsoleServer> {
  const ts = await startTestServer({ redis: true });
  const { app, container } = ts.server;
  const apiWiredByServer = app.hasRoute({ method: 'GET', url: '/api/operator/me' });
  if (!apiWiredByServer) {
    // What the integrator's wiring does: an operator message goes out through the channel's outbox.
    const plugin = operatorApi({
      cases: container.cases,
      operators: container.operators,
      events: container.events,
      clock: container.clock,
      config: ts.config,
      logger: container.logger,
      redis: container.redis,
      keys: container.keys,
      heartbeatMs: 1000,
      relay: async (c, text, _operator, entryId) => {
        const envelope: OutboxEnvelope = {
          v: 1,
          id: `operator:${c.id}:${entryId}`,
          channel: c.channel,
          chatId: c.chatId,
          userId: c.userId,
          reply: { text },
          createdAt: container.clock.now(),
          caseId: c.id,
        };
        await container.outbox(c.channel).add(JSON.stringify(envelope));
      },
      onResolved: async () => {},
    });
    await app.register(async (scope) => plugin(scope));
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  ts.server.startWorkers();
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    ts,
    url,
    apiWiredByServer,
    async account(name, role) {
      return (await container.operators.add(name, role, container.clock.now())).secret;
    },
    async caseForSession(session, text) {
      const user = { channel: 'webchat' as const, id: session };
      if (apiWiredByServer) {
        const wired = await eventually(
          () => container.cases.getOpenForUser(user).then((c) => c ?? undefined),
          5000,
        ).catch(() => undefined);
        if (wired) return { case: wired, openedByHelper: false };
      }
      const verdict = detectDistress(text);
      if (verdict.level === 'none') throw new Error('the test text should read as distress');
      const now = container.clock.now();
      const { case: opened } = await container.cases.createOrGetOpen(
        {
          level: verdict.level,
          channel: 'webchat',
          userId: session,
          chatId: session,
          locale: 'vi',
          minor: verdict.minor,
          signals: verdict.signals,
          intake: { country: 'Campuchia' },
          transcript: [{ at: now, from: 'user', text }],
        },
        now,
      );
      await container.events.publish({
        type: 'case_created',
        caseId: opened.id,
        level: opened.level,
        at: now,
      });
      return { case: opened, openedByHelper: true };
    },
    close: () => ts.close(),
  };
}
