// Consumer bundle size of the client: esbuild --bundle --minify (ESM, browser platform, so no
// Node built-in can sneak in) of bench/size-entry.ts, then gzip -9. Reused by the benchmark.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const SIZE_ENTRY = fileURLToPath(new URL('../../bench/size-entry.ts', import.meta.url));

export interface BundleSize {
  minified: number;
  gzipped: number;
  /** Paths of the modules in the bundle, relative to the repo. */
  inputs: string[];
}

export async function measureBundle(entry: string = SIZE_ENTRY): Promise<BundleSize> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, inputs: Object.keys(result.metafile.inputs) };
}
