import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { ContentError } from '../errors.js';

/** Reads and validates a YAML file; errors name the file (relative to the project) and the path inside. */
export function readYaml<S extends z.ZodType>(file: string, schema: S, root: string): z.output<S> {
  const shown = relative(root, file) || file;
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'), { prettyErrors: true });
  } catch (error) {
    throw new ContentError(`${shown}: cannot be read as YAML: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${shown}: ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new ContentError(lines.join('\n'));
  }
  return parsed.data;
}
