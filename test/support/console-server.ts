import type { Case } from '../../src/core/cases/case.js';
import type { OperatorRole } from '../../src/ports/operator-store.js';
import { eventually, startTestServer, type TestServer } from './test-server.js';

/** A whole server on the test Redis, listening on a free port, with the operator API and workers. */
export interface ConsoleServer {
  ts: TestServer;
  url: string;
  account(name: string, role: OperatorRole): Promise<string>;
  /** The open case that the distress wiring opened for a web chat session. */
  caseForSession(session: string): Promise<{ case: Case }>;
  close(): Promise<void>;
}

/** Starts the server for the console browser tests. */
export async function startConsoleServer(): Promise<ConsoleServer> {
  const ts = await startTestServer({ redis: true });
  const { app, container } = ts.server;
  await app.listen({ port: 0, host: '127.0.0.1' });
  ts.server.startWorkers();
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    ts,
    url,
    async account(name, role) {
      return (await container.operators.add(name, role, container.clock.now())).secret;
    },
    async caseForSession(session) {
      // The server's own distress wiring opens the case; the test only finds it.
      const user = { channel: 'webchat' as const, id: session };
      const opened = await eventually(
        () => container.cases.getOpenForUser(user).then((c) => c ?? undefined),
        10_000,
      );
      return { case: opened };
    },
    close: () => ts.close(),
  };
}
