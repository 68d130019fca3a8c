// The leftover-process check that useCleanup and the restart tests rely on: it must see a living
// member of a process group, and stop seeing it once it is killed (a zombie waiting to be reaped
// does not count).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { killTree, stillAlive } from './helpers.js';

describe('stillAlive', () => {
  it('names a living process of the group, and nothing once it is killed', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], { detached: true, stdio: 'ignore' });
    try {
      const alive = await stillAlive(child, 100);
      expect(alive).toHaveLength(1);
      expect(alive[0]).toMatch(new RegExp(`^${child.pid} .*setTimeout`));
      killTree(child);
      await new Promise((resolve) => child.once('exit', resolve));
      expect(await stillAlive(child)).toEqual([]);
    } finally {
      killTree(child);
    }
  });
});
