import type { SafetyContent } from '../content/safety.js';
import { detectDistress } from '../core/distress/detect.js';
import { composeSafetyReply } from '../core/distress/safety-reply.js';
import type { Locale } from '../core/locale.js';

/**
 * The safety reply when nothing else works: built only from static content, with no store, no
 * queue and no model. Webhooks use it when the inbox cannot be written (Redis down), so a person
 * in danger still gets the numbers at once while the message waits to be stored.
 */
export function createSafetyNet(safety: SafetyContent) {
  return {
    /** The safety text for `text`, or undefined when it shows no sign of danger. */
    replyFor(text: string, locale: Locale): string | undefined {
      const result = detectDistress(text);
      if (result.level === 'none') return undefined;
      return composeSafetyReply(result, {
        locale,
        discreet: false,
        hotlines: safety[locale].hotlines,
        texts: safety[locale].texts,
      }).text;
    },
  };
}

export type SafetyNet = ReturnType<typeof createSafetyNet>;
