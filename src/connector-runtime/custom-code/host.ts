/**
 * Runs a compiled script in a `mono` child process (csharp/Host.cs) and speaks its line
 * protocol. Each execution gets the platform's limit (Learn, "Write code": "Your script must
 * finish execution within 5 seconds"); Context.SendAsync comes back here as `send`, which the
 * caller answers through the connection (policies, token, call limit).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { CompiledScript } from './compile.js';

/** Learn, "Write code", FAQ: "Your script must finish execution within 5 seconds". */
export const EXECUTION_LIMIT_MS = 5000;

/**
 * How long the host process may take to say it is ready (ours, not the platform's: mono starts in
 * well under a second here). Past it the process is killed and the execution answers 500, so a
 * host that hangs before its first line cannot hang the caller.
 */
export const STARTUP_LIMIT_MS = 30_000;

export interface ScriptHttpRequest {
  method: string;
  url: string;
  /** As the script set them (any case). */
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface ScriptHttpResponse {
  status: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface ScriptExecution {
  operationId: string;
  correlationId: string;
  /** Context.OriginalRequestUri: the URL the platform called on the connector. */
  originalRequestUri: string;
  /** The connector's root, for Context.CreateNotificationUri. */
  connectorBaseUri: string;
  /** Context.Request. */
  request: ScriptHttpRequest;
  /** Context.SendAsync: answers a request the script sends; aborted when the script cancels it. */
  send(request: ScriptHttpRequest, signal: AbortSignal): Promise<ScriptHttpResponse>;
  log?(level: string, message: string): void;
}

interface Pending {
  execution: ScriptExecution;
  resolve(answer: ScriptHttpResponse): void;
  timer: NodeJS.Timeout;
  sends: Map<number, AbortController>;
}

/** An answer the platform gives itself when the script fails (Assumption, see README: the code and text are ours). */
export function platformError(message: string): ScriptHttpResponse {
  const body = JSON.stringify({ error: { code: 'InternalServerError', message } });
  return { status: 500, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(body) };
}

const toBase64 = (bytes: Uint8Array | undefined) => (bytes && bytes.length ? Buffer.from(bytes).toString('base64') : null);
const fromBase64 = (text: unknown) => (typeof text === 'string' ? new Uint8Array(Buffer.from(text, 'base64')) : new Uint8Array());

export class CustomCodeHost {
  private child?: ChildProcessWithoutNullStreams;
  private ready?: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderrTail = '';

  constructor(
    private readonly compiled: CompiledScript,
    private readonly limitMs = EXECUTION_LIMIT_MS,
    private readonly startupLimitMs = STARTUP_LIMIT_MS,
  ) {}

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const child = spawn('mono', [this.compiled.executable], { env: { ...process.env, MONO_PATH: this.compiled.monoPath }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.ready = new Promise<void>((resolve, reject) => {
      let late = false;
      const startup = setTimeout(() => {
        late = true;
        child.kill('SIGKILL');
      }, this.startupLimitMs);
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        let message: Record<string, unknown>;
        try {
          message = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return;
        }
        if (message.type === 'ready') {
          clearTimeout(startup);
          resolve();
        } else this.onMessage(message);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
      });
      child.on('error', (err) => {
        clearTimeout(startup);
        reject(err);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(startup);
        const how = late ? `not ready within ${this.startupLimitMs / 1000} seconds, killed` : (signal ?? `exit code ${code}`);
        const why = `the custom code host stopped (${how})${this.stderrTail ? `: ${this.stderrTail.trim()}` : ''}`;
        reject(new Error(why));
        if (this.child === child) {
          this.child = undefined;
          this.ready = undefined;
        }
        for (const [id, p] of this.pending) this.finish(id, p, platformError(why));
      });
    });
    // Not idle() yet: the execution that started the host waits for `ready`, and an unref'd child
    // would let Node exit first (exit code 13, the caller's await never settles). execute() makes
    // it idle once its answer is in.
    return this.ready;
  }

  /** While nothing is pending, the host must not keep Node running. */
  private idle(): void {
    const c = this.child;
    if (!c) return;
    const streams = [c.stdin, c.stdout, c.stderr] as unknown as Array<{ ref(): void; unref(): void }>;
    for (const s of streams) this.pending.size ? s.ref() : s.unref();
    if (this.pending.size) c.ref();
    else c.unref();
  }

  private write(message: Record<string, unknown>): void {
    this.child?.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private finish(id: number, p: Pending, answer: ScriptHttpResponse): void {
    if (this.pending.get(id) !== p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    for (const c of p.sends.values()) c.abort();
    p.resolve(answer);
    this.idle();
  }

  private onMessage(message: Record<string, unknown>): void {
    const id = Number(message.id);
    const p = this.pending.get(id);
    if (!p) return; // an execution that already timed out
    switch (message.type) {
      case 'log':
        p.execution.log?.(String(message.level), String(message.message));
        return;
      case 'send': {
        const sendId = Number(message.sendId);
        const controller = new AbortController();
        p.sends.set(sendId, controller);
        const r = message.request as Record<string, unknown>;
        const request: ScriptHttpRequest = { method: String(r.method), url: String(r.url ?? r.uri), headers: (r.headers ?? {}) as Record<string, string>, body: r.body ? fromBase64(r.body) : undefined };
        p.execution.send(request, controller.signal).then(
          (response) => {
            p.sends.delete(sendId);
            if (!controller.signal.aborted) {
              this.write({ type: 'sendResult', id, sendId, response: { status: response.status, reason: response.reason ?? '', headers: response.headers, body: toBase64(response.body) } });
            }
          },
          (err: Error) => {
            p.sends.delete(sendId);
            if (!controller.signal.aborted) this.write({ type: 'sendResult', id, sendId, error: err.message });
          },
        );
        return;
      }
      case 'cancelSend':
        p.sends.get(Number(message.sendId))?.abort();
        return;
      case 'result': {
        if (typeof message.error === 'string') {
          p.execution.log?.('Error', message.error);
          this.finish(id, p, platformError(`The custom code failed: ${message.error.split('\n')[0]}`));
          return;
        }
        const r = message.response as Record<string, unknown>;
        this.finish(id, p, { status: Number(r.status), reason: typeof r.reason === 'string' ? r.reason : undefined, headers: (r.headers ?? {}) as Record<string, string>, body: fromBase64(r.body) });
        return;
      }
    }
  }

  /** Runs ExecuteAsync once; never rejects: a failure is the platform's 500 answer. */
  async execute(execution: ScriptExecution): Promise<ScriptHttpResponse> {
    try {
      await this.start();
    } catch (err) {
      return platformError((err as Error).message);
    }
    const id = this.nextId++;
    return new Promise<ScriptHttpResponse>((resolve) => {
      const timer = setTimeout(() => {
        const p = this.pending.get(id);
        if (!p) return;
        this.write({ type: 'cancel', id });
        this.finish(id, p, platformError(`The custom code did not finish within ${this.limitMs / 1000} seconds.`));
      }, this.limitMs);
      this.pending.set(id, { execution, resolve, timer, sends: new Map() });
      this.idle();
      const r = execution.request;
      this.write({
        type: 'execute',
        id,
        operationId: execution.operationId,
        correlationId: execution.correlationId,
        originalRequestUri: execution.originalRequestUri,
        connectorBaseUri: execution.connectorBaseUri,
        timeoutMs: this.limitMs,
        request: { method: r.method, uri: r.url, headers: r.headers, body: toBase64(r.body) },
      });
    });
  }

  /** Stops the host process; pending executions get the platform's error. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // An idle host is unref'd: without this, awaiting its exit could let Node end first.
    child.ref();
    child.kill();
    await exited;
  }
}
