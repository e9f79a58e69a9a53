import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type FlowDefinition, flowSchema } from '../core/engine/flow-schema.js';
import { FlowDefinitionError } from '../errors.js';
import { readYaml } from './yaml-file.js';

/** Loads and schema-checks every flows/*.yaml. Cross-references are checked by validateFlows. */
export function loadFlows(
  root: string,
  dir = join(root, 'flows'),
): Array<{ file: string; flow: FlowDefinition }> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  if (files.length === 0) throw new FlowDefinitionError(`${dir}: no flow files`);
  const problems: string[] = [];
  const flows: Array<{ file: string; flow: FlowDefinition }> = [];
  for (const name of files) {
    try {
      flows.push({ file: `flows/${name}`, flow: readYaml(join(dir, name), flowSchema, root) });
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new FlowDefinitionError(problems.join('\n'));
  return flows;
}
