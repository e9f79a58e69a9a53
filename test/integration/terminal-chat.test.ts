import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('terminal chat (npm run chat)', () => {
  it('shows the menu with numbered choices, presses one by number, and checks a typed offer', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/chat.ts'], {
      input:
        '1\nViệc nhẹ lương cao ở Campuchia, 1000 đô/tháng, bao vé máy bay, không cần kinh nghiệm\n/exit\n',
      encoding: 'utf8',
      env: { ...process.env, REDIS_URL: '' },
      timeout: 30_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('[1] 🔎 Kiểm tra tin tuyển dụng');
    expect(result.stdout).toContain('Bạn dán hoặc chuyển tiếp tin tuyển dụng vào đây');
    expect(result.stdout).toContain('Mức nguy hiểm: CAO');
    expect(result.stdout.trim().endsWith('Cảm ơn bạn. Hẹn gặp lại.')).toBe(true);
  });
});
