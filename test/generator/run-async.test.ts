// runAsync, which every external tool of the SDK and schemathesis checks runs through: a tool
// that hangs must fail its test by name and leave no process behind, including its children.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { runAsync } from './helpers.js';

/** Whether `pid` is a living process (a zombie waiting to be reaped does not count), polled up to 5 s. */
async function alive(pid: number): Promise<boolean> {
  const end = Date.now() + 5000;
  for (;;) {
    const stat = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
    if (stat === '' || stat.startsWith('Z')) return false;
    if (Date.now() > end) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('returns the exit status with stdout and stderr', async () => {
  const r = await runAsync('sh', ['-c', 'echo out; echo err >&2; exit 3'], { timeout: 10_000 });
  expect(r).toEqual({ status: 3, output: 'out\n\nerr\n' });
});

it('on timeout, kills the whole process group and says so', async () => {
  // The grandchild (sleep) holds the pipes: killing only sh would leave it running.
  const r = await runAsync('sh', ['-c', 'sleep 60 & echo $!; wait'], { timeout: 500 });
  const grandchild = Number(/^(\d+)/.exec(r.output)?.[1]);
  expect(grandchild).toBeGreaterThan(0);
  expect(r.status).not.toBe(0);
  expect(r.output).toMatch(/sh -c sleep 60 & echo \$!; wait: timed out after 500 ms; its process group was killed$/);
  expect(await alive(grandchild)).toBe(false);
});

it('names a tool that cannot start', async () => {
  const r = await runAsync('/nonexistent/tool', [], { timeout: 10_000 });
  expect(r.status).toBe(1);
  expect(r.output).toContain('ENOENT');
});
