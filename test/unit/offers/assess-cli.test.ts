import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function assess(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/assess.ts', ...args], {
    input,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Spawning a TypeScript process is slow on a busy machine; the limit is generous, not a speed test.
describe('assess CLI', { timeout: 120_000 }, () => {
  it('--jsonl answers one line per input, and a bad line gets an error line without stopping the run', () => {
    const input = [
      JSON.stringify({ id: 'a', text: 'Tuyển CSKH đi Campuchia, bao vé máy bay, hộ chiếu công ty giữ' }),
      'not json',
      JSON.stringify({ id: 'b' }),
      JSON.stringify({ id: 'c', text: 'Mai đi cà phê không?' }),
    ].join('\n');
    const r = assess(['--jsonl'], `${input}\n`);
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0].id).toBe('a');
    expect(lines[0].offer.isOffer).toBe(true);
    expect(lines[0].offer.level).toBe('high');
    expect(lines[0].offer.flags[0]).toEqual({ id: expect.any(String), evidence: expect.any(String) });
    expect(Object.keys(lines[0].offer).sort()).toEqual(['flags', 'isOffer', 'level', 'score']);
    expect(lines[1].error).toBeDefined();
    expect(lines[2]).toEqual({ id: 'b', error: expect.any(String) });
    expect(lines[3].offer).toEqual({ isOffer: false, level: 'none', score: 0, flags: [] });
    // Every answered line carries the distress reading too.
    expect(lines[0].distress).toEqual({ level: 'none', signals: [] });
    expect(lines[3].distress).toEqual({
      level: expect.stringMatching(/^(none|concern|high|imminent)$/),
      signals: expect.any(Array),
    });
  });

  it('prints the explanation for a text, in English with --lang en', () => {
    const r = assess(['Tuyển CSKH đi Campuchia, bao vé máy bay', '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Risk: HIGH/);
    expect(r.out).toContain('111');
  });
});
