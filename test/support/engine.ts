import { projectRoot } from '../../src/content/content-root.js';
import type { StepContext } from '../../src/core/engine/engine-types.js';
import { loadContentBundle } from '../../src/runtime/content-bundle.js';
import { buildEngine, type EngineBundle } from '../../src/runtime/engine-setup.js';

let cached: Promise<EngineBundle> | undefined;

/** The real engine: real flows, real content, the real action registry. */
export function realEngine(): Promise<EngineBundle> {
  cached ??= loadContentBundle(projectRoot()).then(buildEngine);
  return cached;
}

/** A step context with predictable session ids ("s1", "s2", ...). */
export function stepContext(engine: EngineBundle, now = Date.UTC(2026, 10, 28, 12, 0, 0)): StepContext {
  let n = 0;
  return { ...engine, now, newSessionId: () => `s${++n}` };
}
