import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';

/** A client for one-shot reviews: one attempt, so nobody waits longer than the timeout. */
export function reviewClient(options: { apiKey: string; baseUrl?: string | undefined; timeoutMs: number }) {
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    maxRetries: 0,
  });
}

/**
 * Asks the model to review untrusted text and answer through `schema`. The text goes between the
 * lines "<boundary>" and "END <boundary>", a boundary made fresh for each call (and removed from
 * the text), so text cannot close the fence itself; the system prompt is told the boundary.
 * 'refusal' when the model declines; throws on timeout, API errors and unreadable answers.
 */
export async function reviewFenced<T>(
  client: OpenAI,
  request: {
    model: string;
    timeoutMs: number;
    /** Names the boundary, e.g. "OFFER": it reads "OFFER-3f9a...". */
    label: string;
    system: (boundary: string) => string;
    text: string;
    schema: z.ZodType<T>;
    schemaName: string;
  },
): Promise<T | 'refusal'> {
  const boundary = `${request.label}-${randomBytes(6).toString('hex')}`;
  const completion = await client.chat.completions.parse(
    {
      model: request.model,
      temperature: 0,
      messages: [
        { role: 'system', content: request.system(boundary) },
        { role: 'user', content: `${boundary}\n${request.text.replaceAll(boundary, '')}\nEND ${boundary}` },
      ],
      response_format: zodResponseFormat(request.schema, request.schemaName),
    },
    { signal: AbortSignal.timeout(request.timeoutMs) },
  );
  const message = completion.choices[0]?.message;
  if (!message || message.refusal) return 'refusal';
  if (!message.parsed) throw new Error('no parsed answer');
  return message.parsed as T;
}
