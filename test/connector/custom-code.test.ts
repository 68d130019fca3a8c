/**
 * The custom-code host (src/connector-runtime/custom-code/): a package's script.csx compiled
 * with Mono against our ScriptBase / IScriptContext and run for the operations scriptOperations
 * names, with the platform's limits, on small fixture packages and a recording backend.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { compileScript, ConnectorRuntime, missingMono, PackageError, PollingTrigger, ScriptCompileError, type ConnectionOptions } from '../../src/connector-runtime/index.js';
import { CustomCodeHost } from '../../src/connector-runtime/custom-code/host.js';
import { killTree, TSX_LOADER } from '../cli/helpers.js';
import { prerequisites } from '../prerequisites.js';

const available = prerequisites('custom code (script.csx)', [missingMono()]);
const root = mkdtempSync(join(tmpdir(), 'custom-code-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const definition = {
  swagger: '2.0',
  info: { title: 'Fixture', version: '1.0' },
  host: 'backend.test',
  basePath: '/v1',
  schemes: ['https'],
  securityDefinitions: { oauth2: { type: 'oauth2', flow: 'accessCode', authorizationUrl: 'https://login.test/authorize', tokenUrl: 'https://login.test/token', scopes: {} } },
  paths: {
    '/items': { get: { operationId: 'ListItems', parameters: [{ name: 'MS-CorrelationId', in: 'header', type: 'string' }], responses: { 200: { description: 'ok' } } } },
    '/items/{id}': { get: { operationId: 'GetItem', parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }], responses: { 200: { description: 'ok' } } } },
  },
};

const setHeader = { templateId: 'setheader', title: 'Policy header', parameters: { 'x-ms-apimTemplate-operationName': ['ListItems'], 'x-ms-apimTemplateParameter.name': 'X-Policy', 'x-ms-apimTemplateParameter.value': 'applied', 'x-ms-apimTemplateParameter.existsAction': 'override' } };

let n = 0;
/** A package folder with `script` as script.csx, enabled for `operations` (null: no scriptOperations). */
function fixture(script: string, operations: string[] | null = ['ListItems'], swagger: object = definition): string {
  const dir = join(root, `pkg${n++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'apiDefinition.swagger.json'), JSON.stringify(swagger));
  writeFileSync(join(dir, 'apiProperties.json'), JSON.stringify({ properties: { policyTemplateInstances: [setHeader], ...(operations === null ? {} : { scriptOperations: operations }) } }));
  writeFileSync(join(dir, 'script.csx'), script);
  return dir;
}

const script = (body: string) => `public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
${body}
    }
}
`;

interface Sent {
  url: string;
  headers: Record<string, string>;
}

let runtime: ConnectorRuntime | undefined;
afterEach(async () => runtime?.close());

/** Loads a fixture and connects with a backend that records each request and answers {ok: url}. */
function connect(dir: string, extra: Partial<ConnectionOptions> = {}, limitMs?: number) {
  runtime = ConnectorRuntime.load(dir, limitMs ? { scriptLimitMs: limitMs } : {});
  const sent: Sent[] = [];
  const logs: string[] = [];
  const conn = runtime.connect({
    backendBaseUrl: 'https://backend.test/v1',
    connectorBaseUrl: 'https://gateway.test/apim/fixture/c1',
    token: 'the-token',
    onScriptLog: (level, message, op) => logs.push(`${op} ${level}: ${message}`),
    fetch: async (input, init) => {
      sent.push({ url: String(input), headers: Object.fromEntries(new Headers(init?.headers)) });
      return new Response(JSON.stringify({ ok: String(input) }), { status: 200, headers: { 'content-type': 'application/json' } });
    },
    ...extra,
  });
  return { conn, sent, logs };
}

describe.skipIf(!available)('custom code: compiling', () => {
  it('refuses a script that does not compile, naming script.csx:line:column', () => {
    const dir = fixture(script('        var x = 1\n        return null;'));
    let error: unknown;
    try {
      ConnectorRuntime.load(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ScriptCompileError);
    expect(error).toBeInstanceOf(PackageError);
    // mcs reports a missing ';' at the next token: line 6 of the script.
    expect((error as Error).message).toMatch(/^script\.csx does not compile with Mono's mcs:\nscript\.csx:6:8: error CS1525: Unexpected symbol `return'/);
    expect((error as ScriptCompileError).diagnostics[0]).toMatchObject({ file: 'script.csx', line: 6, column: 8, severity: 'error', code: 'CS1525' });
  });

  it('refuses a script without the Script class the Learn page requires', () => {
    const dir = fixture('public class Other : ScriptBase { public override Task<HttpResponseMessage> ExecuteAsync() { return null; } }');
    expect(() => ConnectorRuntime.load(dir)).toThrow(/script\.csx:1:1: error CS0246: .*Script.*the Learn page requires a public class Script : ScriptBase/);
  });

  it('refuses C# 8 syntax that Mono does not take (using declarations), so the script stays in the shared subset', () => {
    const dir = fixture(script('        using var request = new HttpRequestMessage();\n        return await this.Context.SendAsync(request, this.CancellationToken);'));
    expect(() => ConnectorRuntime.load(dir)).toThrow(/script\.csx:5:\d+: error CS/);
  });

  it('refuses a script of 1 MB or more, as the platform does', () => {
    const dir = fixture(`${script('        return null;')}//${'x'.repeat(1024 * 1024)}\n`);
    expect(() => ConnectorRuntime.load(dir)).toThrow(/script\.csx: custom code: is \d+ bytes; custom code must be less than 1 MB/);
  });

  it('stops mcs at its time bound and says so, instead of hanging the load', () => {
    // A bound no compiler run can meet; the source is used by no other test, and a run that times
    // out caches nothing, so mcs really runs.
    const source = script('        return new HttpResponseMessage(HttpStatusCode.OK); // the time-bound test');
    let error: unknown;
    try {
      compileScript(source, 'script.csx', 1);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PackageError);
    expect((error as Error).message).toMatch(/script\.csx: custom code: could not be compiled: mcs did not finish within 0\.001 seconds/);
  });

  it('compiles the namespaces the Learn page lists without using lines, and the corpus members', () => {
    const dir = fixture(
      script(`        var json = new JObject { ["n"] = Regex.Replace("a1", "[0-9]", "") };
        var q = HttpUtility.ParseQueryString("a=1");
        using (var sha = SHA256.Create()) { sha.ComputeHash(Encoding.UTF8.GetBytes(q["a"])); }
        var uri = this.Context.CreateNotificationUri("/hook");
        var original = this.Context.OriginalRequestUri;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = CreateJsonContent(json.ToString()) };`),
    );
    expect(() => ConnectorRuntime.load(dir)).not.toThrow();
  });
});

describe.skipIf(!available)('custom code: running', () => {
  it('gives the script its context: operation, correlation id, request with the token, original URL, notification URL, logger', async () => {
    const dir = fixture(
      script(`        this.Context.Logger.LogInformation("running {Op}", this.Context.OperationId);
        var r = this.Context.Request;
        var answer = new JObject
        {
            ["operationId"] = this.Context.OperationId,
            ["correlationId"] = this.Context.CorrelationId,
            ["method"] = r.Method.Method,
            ["url"] = r.RequestUri.AbsoluteUri,
            ["authorization"] = r.Headers.Authorization.ToString(),
            ["original"] = this.Context.OriginalRequestUri.AbsoluteUri,
            ["notification"] = this.Context.CreateNotificationUri("/hooks/1?x=2").AbsoluteUri,
        };
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = CreateJsonContent(answer.ToString()) };
        response.Headers.Location = new Uri("https://gateway.test/apim/fixture/c1/items?next=1");
        return response;`),
    );
    const { conn, sent, logs } = connect(dir);
    const res = await conn.route('GET', '/items?extra=1', { 'MS-CorrelationId': 'corr-1' });
    expect(res.status).toBe(200);
    expect(res.headers.location).toBe('https://gateway.test/apim/fixture/c1/items?next=1');
    expect(res.body).toEqual({
      operationId: 'ListItems',
      correlationId: 'corr-1',
      method: 'GET',
      url: 'https://backend.test/v1/items?extra=1',
      authorization: 'Bearer the-token',
      original: 'https://gateway.test/apim/fixture/c1/items?extra=1',
      notification: 'https://gateway.test/apim/fixture/c1/hooks/1?x=2',
    });
    expect(sent).toEqual([]);
    expect(logs).toEqual(['ListItems Information: running ListItems']);
  });

  it('sends Context.SendAsync through the connection: policies and the token apply, and the call limit', async () => {
    const dir = fixture(
      script(`        var statuses = new JArray();
        for (int i = 0; i < 3; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "https://backend.test/v1/items/" + i);
            var response = await this.Context.SendAsync(request, this.CancellationToken);
            statuses.Add((int)response.StatusCode);
        }
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = CreateJsonContent(statuses.ToString()) };`),
    );
    const { conn, sent } = connect(dir, { callLimit: { calls: 2, periodMs: 60_000 } });
    const res = await conn.invoke('ListItems');
    expect(res.body).toEqual([200, 200, 429]);
    expect(sent.map((s) => s.url)).toEqual(['https://backend.test/v1/items/0', 'https://backend.test/v1/items/1']);
    for (const s of sent) expect(s.headers).toMatchObject({ authorization: 'Bearer the-token', 'x-policy': 'applied' });
  });

  it('runs only for the operations scriptOperations names; the others stay codeless', async () => {
    const dir = fixture(script('        return new HttpResponseMessage((HttpStatusCode)418);'));
    const { conn, sent } = connect(dir);
    expect((await conn.invoke('ListItems')).status).toBe(418);
    const other = await conn.invoke('GetItem', { id: 'a' });
    expect(other.status).toBe(200);
    expect(sent.map((s) => s.url)).toEqual(['https://backend.test/v1/items/a']);
  });

  it('runs for every operation when scriptOperations is absent (Learn: no operation selected means all)', async () => {
    const dir = fixture(script('        return new HttpResponseMessage((HttpStatusCode)418);'), null);
    const { conn, sent } = connect(dir);
    expect((await conn.invoke('GetItem', { id: 'a' })).status).toBe(418);
    expect(sent).toEqual([]);
  });

  it('stops a script at the time limit with the platform error, and the host goes on serving', async () => {
    const dir = fixture(
      script(`        if (this.Context.Request.RequestUri.Query.Contains("slow")) await Task.Delay(3000);
        return new HttpResponseMessage(HttpStatusCode.OK);`),
    );
    const { conn } = connect(dir, {}, 300);
    const started = performance.now();
    const slow = await conn.route('GET', '/items?slow=1');
    expect(performance.now() - started).toBeLessThan(2500);
    expect(slow.status).toBe(500);
    expect(slow.body).toEqual({ error: { code: 'InternalServerError', message: 'The custom code did not finish within 0.3 seconds.' } });
    expect((await conn.route('GET', '/items')).status).toBe(200);
  });

  it('answers 500 when the script throws, and logs the exception', async () => {
    const dir = fixture(script('        throw new InvalidOperationException("boom");'));
    const { conn, logs } = connect(dir);
    const res = await conn.invoke('ListItems');
    expect(res.status).toBe(500);
    expect((res.body as { error: { message: string } }).error.message).toMatch(/^The custom code failed: System\.InvalidOperationException: boom/);
    expect(logs.some((l) => l.startsWith('ListItems Error: System.InvalidOperationException: boom'))).toBe(true);
  });

  it('starts a new host process after close()', async () => {
    const dir = fixture(script('        return new HttpResponseMessage(HttpStatusCode.Accepted);'));
    const { conn } = connect(dir);
    expect((await conn.invoke('ListItems')).status).toBe(202);
    await runtime!.close();
    expect((await conn.invoke('ListItems')).status).toBe(202);
  });
});

describe.skipIf(!available)('custom code: the host process', () => {
  const exitFixture = join(import.meta.dirname, 'fixtures', 'script-host-exit.ts');

  /**
   * The members of process group `pgid` still running after up to 5 s, as `pid command` lines. A
   * zombie has ended: it only waits for init to reap it (here that takes up to about 2 s).
   */
  async function running(pgid: number): Promise<string[]> {
    const list = () =>
      spawnSync('ps', ['-o', 'pid=,stat=,args=', '-g', String(pgid)], { encoding: 'utf8' })
        .stdout.split('\n')
        .map((l) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(l))
        .filter((m): m is RegExpExecArray => !!m && !m[2]!.startsWith('Z'))
        .map((m) => `${m[1]} ${m[3]}`);
    const end = Date.now() + 5000;
    while (list().length && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
    return list();
  }

  // The mono host is in the fixture's process group; the fixture leads a group of its own.
  async function runFixture(how: 'return' | 'kill' | 'close') {
    const dir = fixture(script('        return new HttpResponseMessage(HttpStatusCode.Accepted);'));
    const child = spawn(process.execPath, ['--import', TSX_LOADER, exitFixture, dir, how], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // A host that kept Node running would hang here: end it by name instead.
    const bound = setTimeout(() => killTree(child), 30_000);
    try {
      const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      return { exit, output, left: await running(child.pid!) };
    } finally {
      clearTimeout(bound);
      killTree(child);
    }
  }

  it.each([
    ['returns without close()', 'return' as const, { code: 0, signal: null }],
    ['is killed (SIGKILL)', 'kill' as const, { code: null, signal: 'SIGKILL' }],
  ])('leaves no mono process behind when the process that started it %s', async (_name, how, exit) => {
    const run = await runFixture(how);
    expect(run.output).toContain('answered 202');
    expect(run.exit, run.output).toEqual(exit);
    expect(run.left).toEqual([]);
  });

  it('answers 500 and kills a host that never says it is ready, instead of waiting for it', async () => {
    // A program that starts under mono and stays silent: the caller must not wait for it forever.
    const dir = mkdtempSync(join(root, 'silent-'));
    const executable = join(dir, 'silent.exe');
    writeFileSync(join(dir, 'Silent.cs'), 'class Silent { static void Main() { System.Threading.Thread.Sleep(60000); } }');
    const built = spawnSync('mcs', [`-out:${executable}`, join(dir, 'Silent.cs')], { encoding: 'utf8', timeout: 60_000 });
    expect(built.status, `${built.stdout}${built.stderr}`).toBe(0);
    const host = new CustomCodeHost({ executable, monoPath: dir, warnings: [] }, 300, 500);
    const started = performance.now();
    const answer = await host.execute({
      operationId: 'ListItems',
      correlationId: 'c',
      originalRequestUri: 'https://gateway.test/items',
      connectorBaseUri: 'https://gateway.test',
      request: { method: 'GET', url: 'https://backend.test/v1/items', headers: {} },
      send: async () => ({ status: 200, headers: {}, body: new Uint8Array() }),
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(answer.status).toBe(500);
    expect(new TextDecoder().decode(answer.body)).toContain('the custom code host stopped (not ready within 0.5 seconds, killed)');
    await host.close();
  });

  it('close() ends the mono process', async () => {
    const run = await runFixture('close');
    expect(run.exit, run.output).toEqual({ code: 0, signal: null });
    expect(run.output).toMatch(/^group after close: (?!.*mono).*$/m);
    expect(run.left).toEqual([]);
  });
});

describe.skipIf(!available)('the polling protocol of a trigger answered in code', () => {
  // A trigger in the SurveyMonkey manner: no state yet is a 202 whose Location carries one; each
  // later poll returns the items after it, two at a time, Retry-After: 0 while more are waiting.
  const triggers = {
    ...definition,
    paths: {
      ...definition.paths,
      '/batch': { get: { operationId: 'OnBatch', 'x-ms-trigger': 'batch', responses: { 200: { description: 'ok' } } } },
      '/single': { get: { operationId: 'OnSingle', 'x-ms-trigger': 'single', responses: { 200: { description: 'ok' } } } },
    },
  };
  const code = script(`        var query = HttpUtility.ParseQueryString(this.Context.OriginalRequestUri.Query);
        var state = query["triggerstate"];
        var location = new UriBuilder(this.Context.OriginalRequestUri);
        HttpResponseMessage response;
        int retry = 60;
        if (state == null)
        {
            response = new HttpResponseMessage(HttpStatusCode.Accepted);
            query["triggerstate"] = "0";
        }
        else
        {
            int from = int.Parse(state);
            if (from >= 5)
            {
                response = new HttpResponseMessage(HttpStatusCode.Accepted);
            }
            else
            {
                var items = new JArray();
                for (int i = from; i < Math.Min(from + 2, 5); i++) items.Add(new JObject { ["n"] = i });
                var body = this.Context.OperationId == "OnSingle" ? (JToken)items[0] : new JObject { ["value"] = items };
                response = new HttpResponseMessage(HttpStatusCode.OK) { Content = CreateJsonContent(body.ToString()) };
                query["triggerstate"] = (from + items.Count).ToString();
                if (from + items.Count < 5) retry = 0;
            }
        }
        location.Query = query.ToString();
        response.Headers.Location = location.Uri;
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(retry));
        return response;`);

  it('202 starts no run, the next poll goes to the Location, Retry-After: 0 polls again at once, a batch answer splits into runs', async () => {
    const { conn, sent } = connect(fixture(code, null, triggers));
    const trigger = new PollingTrigger(conn, 'OnBatch');
    const first = await trigger.poll();
    expect(first).toMatchObject({ status: 202, runs: [], retryAfterSeconds: 60 });
    expect(trigger.location).toBe('https://gateway.test/apim/fixture/c1/batch?triggerstate=0');
    const recurrence = await trigger.recurrence();
    expect(recurrence).toMatchObject({ status: 200, polls: 3, retryAfterSeconds: 60, runs: [{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }] });
    expect((await trigger.recurrence())).toMatchObject({ status: 202, runs: [], polls: 1 });
    expect(sent).toEqual([]);
  });

  it('without splitOn a batch answer is one run; a single trigger starts one run per 200 with its object', async () => {
    const { conn } = connect(fixture(code, null, triggers));
    const batch = new PollingTrigger(conn, 'OnBatch', {}, { location: 'https://gateway.test/apim/fixture/c1/batch?triggerstate=0', splitOn: false });
    expect((await batch.poll()).runs).toEqual([{ value: [{ n: 0 }, { n: 1 }] }]);
    const single = new PollingTrigger(conn, 'OnSingle', {}, { location: 'https://gateway.test/apim/fixture/c1/single?triggerstate=0' });
    expect((await single.recurrence()).runs).toEqual([{ n: 0 }, { n: 2 }, { n: 4 }]);
  });

  it('resumes from the Location alone after the runtime restarts: the connector keeps no state', async () => {
    const dir = fixture(code, null, triggers);
    const { conn } = connect(dir);
    const trigger = new PollingTrigger(conn, 'OnBatch');
    await trigger.poll();
    expect((await trigger.poll()).runs).toEqual([{ n: 0 }, { n: 1 }]);
    const saved = trigger.location;
    await runtime!.close();
    const { conn: again } = connect(dir);
    const resumed = new PollingTrigger(again, 'OnBatch', {}, { location: saved });
    expect((await resumed.recurrence()).runs).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
  });
});

