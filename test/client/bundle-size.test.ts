import { describe, expect, it } from 'vitest';
import { measureBundle } from './bundle-size.js';

describe('consumer bundle', () => {
  it('holds only client code and stays within 5 KB min+gzip', async () => {
    const { gzipped, inputs } = await measureBundle();
    // Neither the emulator nor MSW may reach a client bundle, and no dependency at all is needed.
    expect(inputs.filter((i) => !i.startsWith('src/client/') && !i.startsWith('generated/'))).toEqual(['src/index.ts', 'bench/size-entry.ts']);
    expect(inputs).toContain('generated/routes.ts');
    expect(gzipped).toBeLessThanOrEqual(5 * 1024);
  });
});
