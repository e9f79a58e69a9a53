/**
 * Button payloads: `<session>:<kind>:<a>[:<b>]`, at most 64 bytes (Telegram's callback_data limit).
 * kind `b` = button <b> of node <a>; kind `a` = action <a> with argument <b>; kind `c` = global command <a>.
 * The session part lets a press on a button from an earlier conversation be recognised.
 */
export type ButtonTarget =
  | { kind: 'node_button'; node: string; index: number }
  | { kind: 'action'; action: string; arg: string | undefined }
  | { kind: 'command'; command: string };

export interface DecodedPayload {
  session: string;
  target: ButtonTarget;
}

export const MAX_PAYLOAD_BYTES = 64;

export function encodePayload(session: string, target: ButtonTarget): string {
  let payload: string;
  switch (target.kind) {
    case 'node_button':
      payload = `${session}:b:${target.node}:${target.index}`;
      break;
    case 'action':
      payload =
        target.arg === undefined
          ? `${session}:a:${target.action}`
          : `${session}:a:${target.action}:${target.arg}`;
      break;
    case 'command':
      payload = `${session}:c:${target.command}`;
      break;
  }
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES)
    throw new Error(`button payload over ${MAX_PAYLOAD_BYTES} bytes`);
  return payload;
}

const PART = /^[A-Za-z0-9_.-]{1,40}$/;

/** Parses a payload; anything malformed (a forged or truncated press) gives undefined. */
export function decodePayload(payload: string): DecodedPayload | undefined {
  if (payload.length > MAX_PAYLOAD_BYTES) return undefined;
  const [session, kind, a, b, ...rest] = payload.split(':');
  if (rest.length > 0 || !session || !a || !PART.test(session) || !PART.test(a)) return undefined;
  if (b !== undefined && !PART.test(b)) return undefined;
  if (kind === 'b') {
    const index = Number(b);
    if (!Number.isInteger(index) || index < 0 || index > 50) return undefined;
    return { session, target: { kind: 'node_button', node: a, index } };
  }
  if (kind === 'a') return { session, target: { kind: 'action', action: a, arg: b } };
  if (kind === 'c' && b === undefined) return { session, target: { kind: 'command', command: a } };
  return undefined;
}
