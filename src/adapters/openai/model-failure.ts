import OpenAI from 'openai';

/** Why a model's answer is missing, in a word (never the text of the error, which may echo input). */
export type ModelFailure = 'timeout' | 'refusal' | 'error' | 'invalid';

/** Sorts a thrown error: our own timeout or the client's, an API error, or an answer we could not read. */
export function modelFailureOf(err: unknown): Exclude<ModelFailure, 'refusal'> {
  const name = (err as Error | undefined)?.name;
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    err instanceof OpenAI.APIConnectionTimeoutError ||
    err instanceof OpenAI.APIUserAbortError
  )
    return 'timeout';
  return err instanceof OpenAI.APIError ? 'error' : 'invalid';
}
