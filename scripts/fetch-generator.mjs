#!/usr/bin/env node
// `node scripts/fetch-generator.mjs`: the first build step. Puts the OpenAPI Generator JAR pinned
// in openapitools.json into its git-ignored cache (via Maven, once), so that lint, generate and
// generate:sdk run the wrapper offline and the wrapper never downloads by itself.
import { ensureGeneratorJar, orSkipOutsideCi, requireJava } from './lib/openapi-generator.mjs';
import { REPO_ROOT, parseCli, rel, runMain } from './lib/util.mjs';

async function main() {
  parseCli(process.argv.slice(2));
  orSkipOutsideCi('fetch-generator', () => {
    const { jar, version, fetched, ms } = ensureGeneratorJar();
    requireJava(`to run OpenAPI Generator ${version}`);
    const how = fetched ? `fetched through Maven in ${(ms / 1000).toFixed(1)} s` : 'already cached';
    process.stdout.write(`fetch-generator: OpenAPI Generator ${version} ${how} (${rel(REPO_ROOT, jar)}).\n`);
  });
}

await runMain('fetch-generator', main);
