import { decodePayload } from '../../core/engine/payload.js';
import type { Reply, ReplyButton } from '../../core/messages.js';

/** Zalo's limits for consultation messages. */
export const ZALO_MAX_TEXT = 2000;
export const ZALO_MAX_BUTTONS = 5;
const MAX_TITLE = 100;
/**
 * Menu buttons send their payload back as a user text. `oa.query.show` would also display that
 * payload, a machine code like "s1:b:menu:2", in the person's chat as if they had typed it;
 * `oa.query.hide` sends it without showing it (see the Zalo section of the README).
 */
const QUERY_BUTTON_TYPE = 'oa.query.hide';

export type ZaloButton =
  | { title: string; type: 'oa.query.show' | 'oa.query.hide'; payload: string }
  | { title: string; type: 'oa.open.url'; payload: { url: string } }
  | { title: string; type: 'oa.open.phone'; payload: { phone_code: string } };

/** The `message` object of one /v3.0/oa/message/cs call. */
export interface ZaloOutMessage {
  text: string;
  attachment?: { type: 'template'; payload: { buttons: ZaloButton[] } };
}

/**
 * Turns a Reply into the Zalo messages that carry it, in order. Texts are split at 2,000
 * characters and buttons ride on the last part. Zalo shows at most 5 buttons: a longer menu of a
 * node's own buttons becomes numbered lines ("1. ...") that the engine accepts as presses; other
 * long button sets are spread over follow-up messages of 5.
 */
export function renderZaloReply(reply: Reply): ZaloOutMessage[] {
  const query = (reply.buttons ?? []).flat();
  const actions: ZaloButton[] = [
    ...(reply.links ?? []).map(
      (l): ZaloButton => ({ title: title(l.label), type: 'oa.open.url', payload: { url: l.url } }),
    ),
    ...(reply.phones ?? []).map(
      (p): ZaloButton => ({
        title: title(p.label),
        type: 'oa.open.phone',
        payload: { phone_code: p.phone.replace(/[^\d+]/g, '') },
      }),
    ),
  ];
  let text = reply.text;
  let buttons: ZaloButton[];
  const extra: ZaloOutMessage[] = [];

  if (query.length + actions.length <= ZALO_MAX_BUTTONS) {
    buttons = [...query.map(queryButton), ...actions];
  } else if (numberable(query)) {
    text = `${text}\n\n${query.map((b, i) => `${i + 1}. ${b.label}`).join('\n')}`;
    buttons = actions.slice(0, ZALO_MAX_BUTTONS);
    const overflow = actions.slice(ZALO_MAX_BUTTONS);
    if (overflow.length > 0) text = `${text}\n\n${overflow.map(actionLine).join('\n')}`;
  } else {
    const all = [...query.map(queryButton), ...actions];
    buttons = all.slice(0, ZALO_MAX_BUTTONS);
    for (let i = ZALO_MAX_BUTTONS; i < all.length; i += ZALO_MAX_BUTTONS) {
      extra.push(withButtons('…', all.slice(i, i + ZALO_MAX_BUTTONS)));
    }
  }

  const parts = splitText(text.trim() === '' ? '…' : text, ZALO_MAX_TEXT);
  const out: ZaloOutMessage[] = parts.map((part) => ({ text: part }));
  const last = out[out.length - 1] as ZaloOutMessage;
  if (buttons.length > 0) out[out.length - 1] = withButtons(last.text, buttons);
  return [...out, ...extra];
}

/** Splits at the last line break or space before `max` characters (never inside a surrogate pair). */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[\n ]+/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

function withButtons(text: string, buttons: ZaloButton[]): ZaloOutMessage {
  return { text, attachment: { type: 'template', payload: { buttons } } };
}

function queryButton(button: ReplyButton): ZaloButton {
  return { title: title(button.label), type: QUERY_BUTTON_TYPE, payload: button.payload };
}

function actionLine(button: ZaloButton): string {
  if (button.type === 'oa.open.url') return `${button.title}: ${button.payload.url}`;
  if (button.type === 'oa.open.phone') return `${button.title}: ${button.payload.phone_code}`;
  return button.title;
}

function title(label: string): string {
  return label.length <= MAX_TITLE ? label : `${label.slice(0, MAX_TITLE - 1)}…`;
}

/**
 * Numbers stand for buttons only when the buttons are the current node's, in order: that is what
 * the engine maps "3" to. At most 9, since the engine reads one digit.
 */
function numberable(buttons: ReplyButton[]): boolean {
  if (buttons.length > 9) return false;
  let node: string | undefined;
  return buttons.every((button, index) => {
    const decoded = decodePayload(button.payload);
    if (decoded?.target.kind !== 'node_button' || decoded.target.index !== index) return false;
    node ??= decoded.target.node;
    return decoded.target.node === node;
  });
}
