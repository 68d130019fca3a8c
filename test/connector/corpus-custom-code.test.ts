/**
 * The custom-code section of scripts/check-runtime-corpus.mjs (npm run runtime:corpus) on a tiny
 * corpus: a script that compiles, and one for each named reason a script does not.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { missingMono } from '../../src/connector-runtime/index.js';
import { prerequisites } from '../prerequisites.js';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'runtime-corpus-code-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const available = prerequisites('runtime:corpus custom code', [missingMono()]);

function pkg(name: string, body: string) {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'apiProperties.json'), '{ "properties": {} }');
  writeFileSync(join(dir, name, 'apiDefinition.swagger.json'), JSON.stringify({ swagger: '2.0', basePath: '/', paths: { '/a': { get: { operationId: 'GetA', responses: {} } } } }));
  writeFileSync(join(dir, name, 'script.csx'), `public class Script : ScriptBase\n{\n    public override async Task<HttpResponseMessage> ExecuteAsync()\n    {\n${body}\n    }\n}\n`);
}

describe.skipIf(!available)('runtime:corpus, custom code', () => {
  it('counts the scripts that compile and names why the others do not', async () => {
    pkg('forwards', '        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken);');
    pkg('using-declaration', '        using var request = new HttpRequestMessage();\n        return await this.Context.SendAsync(request, this.CancellationToken);');
    pkg('nullable', '        string? name = null;\n        return new HttpResponseMessage();');
    pkg('not-csharp', '        response = new HttpResponseMessage();\n        HttpResponseMessage response = null;\n        return response;');
    // Bounded below the test timeout, so a run that hangs is ended (SIGTERM) rather than left
    // running after the test has failed; mcs inside it has its own bound (compile.ts).
    const { stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/tsx'), ['scripts/check-runtime-corpus.mjs', dir], { cwd: root, timeout: 50_000 });
    expect(stdout).toContain("custom code: 1 / 4 script.csx compile with Mono's mcs");
    expect(stdout).toMatch(/does not compile: using-declaration\/script\.csx:5:\d+: Mono limitation: a C# 8 using declaration/);
    expect(stdout).toMatch(/does not compile: nullable\/script\.csx:5:\d+: Mono limitation: a C# 8 nullable reference annotation/);
    expect(stdout).toMatch(/does not compile: not-csharp\/script\.csx:5:\d+: not valid C# for any compiler: CS0841/);
  });
});
