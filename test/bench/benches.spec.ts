import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/core/data-files';

const run = promisify(execFile);

/** Each bench in smoke mode (tiny sizes, one round): the scripts keep working; no timing is asserted. */
describe('benches in smoke mode', () => {
  it.each([
    ['reads', /GET \/api\/v1\/areas\?limit=50[\s\S]*req\/s {2}project .* ratio/],
    ['finish-to-push', /project +p50 \d+ ms[\s\S]*bare +p50/],
    ['prio-sync', /sync\/COPY/],
    [
      'delivery-throughput',
      /project +handovers\/s [\d.]+[\s\S]*bare +handovers\/s [\d.]+[\s\S]*ratio project\/bare [\d.]+x[\s\S]*SQL statements per delivered handover [\d.]+/,
    ],
  ])(
    'bench:%s prints its figures',
    async (bench, figures) => {
      const script = join(packageRoot(), 'dist', 'bench', `${bench}.js`);
      if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build (npm test does)`);
      const { stdout } = await run(process.execPath, [script], {
        env: { ...process.env, BENCH_SMOKE: '1', BENCH_ROUNDS: '1' },
        timeout: 120_000,
      });
      expect(stdout).toMatch(figures);
      expect(stdout).toMatch(/load average at end/);
    },
    150_000,
  );
});
