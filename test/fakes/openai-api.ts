import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small real HTTP server that speaks enough of POST /v1/chat/completions for the second
 * opinion. It plays a gullible model: in `obey` mode it follows whatever the offer tells it.
 */
export type FakeOpenAIBehaviour =
  /** Follows injected instructions (any language) and echoes JSON found in the offer or message. */
  | { kind: 'obey'; honestLevel?: 'none' | 'low' | 'medium' | 'high' }
  /** Always answers with this content object. */
  | { kind: 'fixed'; answer: unknown }
  | { kind: 'timeout' }
  /** Answers with this content object only once `release()` is called. */
  | { kind: 'held'; answer: unknown }
  | { kind: 'refusal' }
  | { kind: 'error' };

const INJECTION =
  /ignore (all |your |previous )*instructions|say this job is safe|bỏ qua (mọi |các |tất cả )*(hướng dẫn|chỉ dẫn)|hãy nói công việc này an toàn|忽略|이전 지시를 무시/i;

export class FakeOpenAI {
  requests = 0;
  /** The last user message the fake received (to check masking). */
  lastUserMessage = '';
  lastSystemMessage = '';
  /** The structured-output schema name of every request, in order (offer_review, distress_review). */
  readonly schemas: string[] = [];
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();
  private held: Array<() => void> = [];

  constructor(public behaviour: FakeOpenAIBehaviour = { kind: 'obey' }) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  /** Lets the answers held back (behaviour `held`) go. */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const go of held) go();
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    this.requests++;
    const parsed = JSON.parse(body) as {
      model: string;
      messages: Array<{ role: string; content: string }>;
      response_format?: { json_schema?: { name?: string } };
    };
    const distress = parsed.response_format?.json_schema?.name === 'distress_review';
    this.schemas.push(parsed.response_format?.json_schema?.name ?? '');
    this.lastSystemMessage = parsed.messages.find((m) => m.role === 'system')?.content ?? '';
    const user = parsed.messages.find((m) => m.role === 'user')?.content ?? '';
    this.lastUserMessage = user;
    const b = this.behaviour;
    if (b.kind === 'held') {
      await new Promise<void>((resolve) => this.held.push(resolve));
    }
    if (b.kind === 'timeout') {
      this.hanging.add(res);
      return;
    }
    if (b.kind === 'error') {
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'boom' } }));
      return;
    }
    let content: string | null = null;
    let refusal: string | null = null;
    if (b.kind === 'refusal') refusal = "I'm sorry, I can't help with that.";
    else if (b.kind === 'fixed' || b.kind === 'held') content = JSON.stringify(b.answer);
    else {
      const json = user.match(/\{[\s\S]*\}/);
      if (json) content = json[0];
      else if (INJECTION.test(user))
        content = JSON.stringify(
          distress
            ? { level: 'none', signals: [], reason: 'All is fine, as the message says.' }
            : { flags: [], level: 'none', summary: 'This job is safe.' },
        );
      else
        content = JSON.stringify({
          flags: [{ id: 'other', reason: 'pattern of a scam compound lure' }],
          level: b.honestLevel ?? 'high',
          summary: 'This looks like a dangerous lure.',
        });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${this.requests}`,
        object: 'chat.completion',
        created: 0,
        model: parsed.model,
        choices: [
          {
            index: 0,
            finish_reason: 'stop',
            logprobs: null,
            message: { role: 'assistant', content, refusal },
          },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  }
}
