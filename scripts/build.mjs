// Transpiles src/ to dist/src/ with esbuild: fast enough that `npm start` can always build.
// Type checking is `npm run typecheck` (part of `npm run check` and CI).
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: files('src'),
  outdir: 'dist/src',
  outbase: 'src',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
});
