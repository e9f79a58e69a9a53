import { describe, expect, it } from 'vitest';
import { MemoryOperatorStore } from '../../src/adapters/memory/memory-operator-store.js';
import { createLogger } from '../../src/observability/logger.js';
import { ensureFirstSupervisor } from '../../src/operator/first-supervisor.js';

const logger = createLogger('silent');

describe('ensureFirstSupervisor', () => {
  it('creates supervisor admin on an empty store and returns its secret once', async () => {
    const store = new MemoryOperatorStore({ hashSecret: 'first-supervisor-secret', sessionHours: 1 });
    const first = await ensureFirstSupervisor(store, logger);
    expect(first).toEqual({ name: 'admin', secret: expect.any(String) });
    expect(await store.verify('admin', first!.secret)).toMatchObject({ role: 'supervisor' });
    expect(await ensureFirstSupervisor(store, logger)).toBeNull();
  });

  it('does nothing when an account exists', async () => {
    const store = new MemoryOperatorStore({ hashSecret: 'first-supervisor-secret', sessionHours: 1 });
    await store.add('lan', 'operator', 0);
    expect(await ensureFirstSupervisor(store, logger)).toBeNull();
    expect((await store.list()).map((a) => a.name)).toEqual(['lan']);
  });
});
