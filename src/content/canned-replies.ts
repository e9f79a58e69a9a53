import { join } from 'node:path';
import { z } from 'zod';
import type { Locale } from '../core/locale.js';
import { LOCALES } from '../core/locale.js';
import { ContentError } from '../errors.js';
import { readYaml } from './yaml-file.js';

const PHONE_LIKE = /\d{3}/;

const cannedReplySchema = z.object({
  id: z.string().regex(/^[a-z0-9_]+$/, 'ids are lower_snake_case'),
  label: z.string().min(1).max(80),
  text: z.string().min(1).max(1000),
  sources: z.array(z.url()).optional(),
});

const cannedFileSchema = z.object({ replies: z.array(cannedReplySchema).min(1) });

/** One ready-made reply an operator can insert, edit and send. */
export type CannedReply = z.output<typeof cannedReplySchema>;

/** Canned replies per console language, same ids in the same order. */
export type CannedReplies = Record<Locale, CannedReply[]>;

/**
 * Loads content/{vi,en}/canned-replies.yaml. Both languages must list the same ids in the same
 * order, and a reply that gives a number must cite where the number comes from.
 */
export function loadCannedReplies(root: string): CannedReplies {
  const result = {} as CannedReplies;
  for (const locale of LOCALES) {
    const file = join(root, 'content', locale, 'canned-replies.yaml');
    const replies = readYaml(file, cannedFileSchema, root).replies;
    for (const reply of replies) {
      if (PHONE_LIKE.test(reply.text) && !reply.sources?.length)
        throw new ContentError(
          `content/${locale}/canned-replies.yaml: ${reply.id}: gives a number without sources`,
        );
    }
    const ids = replies.map((r) => r.id);
    if (new Set(ids).size !== ids.length)
      throw new ContentError(`content/${locale}/canned-replies.yaml: duplicate ids`);
    result[locale] = replies;
  }
  const vi = result.vi.map((r) => r.id).join(',');
  const en = result.en.map((r) => r.id).join(',');
  if (vi !== en) throw new ContentError(`canned-replies.yaml: vi and en differ (vi: ${vi}; en: ${en})`);
  return result;
}
