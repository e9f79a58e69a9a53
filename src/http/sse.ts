import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Opens a Server-Sent Events response on a Fastify reply: the headers set so far (CORS, helmet)
 * are kept, proxies are told not to buffer, and a comment is sent every `heartbeatMs` so idle
 * connections stay open. `onClose` runs once when the client goes away.
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { heartbeatMs: number; onClose: () => void },
): { write: (chunk: string) => void } {
  const headers: Record<string, string> = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  };
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (typeof value === 'string') headers[name] = value;
  }
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, headers);
  raw.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), options.heartbeatMs);
  request.raw.on('close', () => {
    clearInterval(heartbeat);
    options.onClose();
  });
  return { write: (chunk) => raw.write(chunk) };
}
