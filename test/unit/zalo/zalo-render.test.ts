import { describe, expect, it } from 'vitest';
import { renderZaloReply, splitText } from '../../../src/adapters/zalo/zalo-render.js';
import { encodePayload } from '../../../src/core/engine/payload.js';

const nodeButton = (index: number, node = 'menu') => ({
  label: `Choice ${index + 1}`,
  payload: encodePayload('sess1', { kind: 'node_button', node, index }),
});

describe('renderZaloReply', () => {
  it('sends a plain text as one message without attachment', () => {
    expect(renderZaloReply({ text: 'Xin chào' })).toEqual([{ text: 'Xin chào' }]);
  });

  it('puts up to 5 buttons as oa.query.hide, links as oa.open.url and phones as oa.open.phone', () => {
    const [message] = renderZaloReply({
      text: 'Chọn',
      buttons: [[nodeButton(0)], [nodeButton(1)]],
      links: [{ label: 'Web', url: 'https://example.org' }],
      phones: [{ label: 'Gọi 111', phone: '111' }],
    });
    expect(message?.attachment?.payload.buttons).toEqual([
      { title: 'Choice 1', type: 'oa.query.hide', payload: nodeButton(0).payload },
      { title: 'Choice 2', type: 'oa.query.hide', payload: nodeButton(1).payload },
      { title: 'Web', type: 'oa.open.url', payload: { url: 'https://example.org' } },
      { title: 'Gọi 111', type: 'oa.open.phone', payload: { phone_code: '111' } },
    ]);
  });

  it('turns more than 5 node buttons into numbered choices the engine accepts', () => {
    const buttons = [0, 1, 2, 3, 4, 5].map((i) => [nodeButton(i)]);
    const out = renderZaloReply({ text: 'Menu', buttons });
    expect(out).toHaveLength(1);
    expect(out[0]?.text).toBe(
      'Menu\n\n1. Choice 1\n2. Choice 2\n3. Choice 3\n4. Choice 4\n5. Choice 5\n6. Choice 6',
    );
    expect(out[0]?.attachment).toBeUndefined();
  });

  it("spreads long button sets that are not the node's own over messages of 5", () => {
    const buttons = [0, 1, 2, 3, 4, 5].map((i) => [
      {
        label: `A${i}`,
        payload: encodePayload('sess1', { kind: 'action', action: 'answer', arg: String(i) }),
      },
    ]);
    const out = renderZaloReply({ text: 'Quiz', buttons });
    expect(out).toHaveLength(2);
    expect(out[0]?.attachment?.payload.buttons).toHaveLength(5);
    expect(out[1]?.attachment?.payload.buttons).toHaveLength(1);
  });

  it('splits text at 2,000 characters and keeps buttons on the last part', () => {
    const text = `${'a '.repeat(1500)}end`;
    const out = renderZaloReply({ text, buttons: [[nodeButton(0)]] });
    expect(out.length).toBe(2);
    for (const part of out) expect(part.text.length).toBeLessThanOrEqual(2000);
    expect(out[0]?.attachment).toBeUndefined();
    expect(out[1]?.attachment?.payload.buttons).toHaveLength(1);
    expect(
      out
        .map((p) => p.text)
        .join(' ')
        .replace(/\s+/g, ' '),
    ).toBe(text.replace(/\s+/g, ' '));
  });
});

describe('splitText', () => {
  it('never cuts a surrogate pair in half', () => {
    const text = 'x'.repeat(1999) + '😀' + 'y'.repeat(10);
    const parts = splitText(text, 2000);
    expect(parts.join('')).toBe(text);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
    expect(parts[0]?.endsWith('x')).toBe(true);
  });
});
