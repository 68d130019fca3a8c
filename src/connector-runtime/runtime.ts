/**
 * A connection to a loaded connector package: runs operations as flow actions do (inputs ->
 * swagger request -> policies -> OAuth token -> backend -> response policies), keeps the
 * connection's call limit, and pages x-ms-pageable operations through the connector's own host.
 */
import { randomUUID } from 'node:crypto';
import { backendRequestOf, flowResponseOf, parseBody, runsScript, scriptRequestOf, scriptResponseOf, urlOf } from './custom-code/definition.js';
import { CustomCodeHost, platformError, type ScriptHttpRequest, type ScriptHttpResponse } from './custom-code/host.js';
import { buildRequest, type FlowInputs } from './inputs.js';
import { loadPackage, type ConnectorPackage, type Operation } from './package.js';
import { setHeaderLike, type BackendResponse, type CompiledPolicy, type OutgoingRequest, type PolicyContext } from './policies.js';
import { CONNECTION_LIMIT, ConnectionThrottle, type CallLimit } from './throttle.js';

/** What the flow sees of an action's answer. */
export type FlowResponse = BackendResponse;

/** A run failure the platform raises itself (not an answer of the backend). */
export class FlowRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowRunError';
  }
}

export interface ConnectionOptions {
  /** The backend root, origin + basePath (e.g. the emulator's apiUrl). */
  backendBaseUrl: string;
  /** The connection's OAuth access token, sent as `Authorization: Bearer`. */
  token: string;
  /** The connector's own root as flows reach it (the gateway). Default: a reserved .invalid host. */
  connectorBaseUrl?: string;
  connectionParameters?: Record<string, unknown>;
  /** Milliseconds clock for the call limit (default Date.now). */
  clock?: () => number;
  /** Default 100 calls per 60 s; false turns it off. */
  callLimit?: CallLimit | false;
  fetch?: typeof fetch;
  /** Receives the custom code's Context.Logger lines. */
  onScriptLog?: (level: string, message: string, operationId: string) => void;
}

export interface PagingOptions {
  /** The action's Pagination threshold: stop once this many items are collected. */
  threshold: number;
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** A query or header value as the typed input it stands for; left a string when it is not one. */
function typedValue(type: string | undefined, raw: string): unknown {
  if ((type === 'integer' || type === 'number') && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/** An answer of the gateway itself: the request never became an operation call. */
function gatewayError(status: number, code: string, message: string, headers: Record<string, string> = {}): FlowResponse {
  return { status, headers: { ...headers, 'content-type': 'application/json' }, body: { error: { code, message } } };
}

export interface RuntimeOptions {
  /** The custom code's time limit per execution (default: the platform's 5 s). */
  scriptLimitMs?: number;
}

export class ConnectorRuntime {
  private host?: CustomCodeHost;

  constructor(
    readonly pkg: ConnectorPackage,
    private readonly options: RuntimeOptions = {},
  ) {}

  static load(folder: string, options: RuntimeOptions = {}): ConnectorRuntime {
    return new ConnectorRuntime(loadPackage(folder), options);
  }

  connect(options: ConnectionOptions): Connection {
    return new Connection(this.pkg, options, () => this.scriptHost());
  }

  /** The process running script.csx, started on first use (custom-code/host.ts). */
  private scriptHost(): CustomCodeHost | undefined {
    const compiled = this.pkg.customCode?.compiled;
    if (compiled && !this.host) this.host = new CustomCodeHost(compiled, this.options.scriptLimitMs);
    return this.host;
  }

  /** Stops the custom code's process; a later call starts a new one. */
  async close(): Promise<void> {
    const host = this.host;
    this.host = undefined;
    await host?.close();
  }
}

export class Connection {
  readonly connectorBaseUrl: string;
  readonly backendBaseUrl: string;
  private readonly throttle?: ConnectionThrottle;
  private readonly fetchImpl: typeof fetch;
  private unauthenticated = false;

  constructor(
    readonly pkg: ConnectorPackage,
    private readonly options: ConnectionOptions,
    private readonly scriptHost: () => CustomCodeHost | undefined = () => undefined,
  ) {
    this.backendBaseUrl = options.backendBaseUrl.replace(/\/+$/, '');
    this.connectorBaseUrl = (options.connectorBaseUrl ?? 'https://connector.invalid/apim/connector/connection').replace(/\/+$/, '');
    if (options.callLimit !== false) this.throttle = new ConnectionThrottle(options.callLimit ?? CONNECTION_LIMIT, options.clock ?? Date.now);
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  operation(operationId: string): Operation {
    const op = this.pkg.operations.get(operationId);
    if (!op) throw new FlowRunError(`The connector has no operation '${operationId}' (it has: ${[...this.pkg.operations.keys()].join(', ')}).`);
    return op;
  }

  private policiesFor(operationId: string): CompiledPolicy[] {
    return this.pkg.policies.filter((p) => !p.operations || p.operations.includes(operationId));
  }

  /** Runs one action. Inputs are keyed by the swagger parameter names (the body under its name). */
  async invoke(operationId: string, inputs: FlowInputs = {}, extraQuery: Array<[string, string]> = []): Promise<FlowResponse> {
    const op = this.operation(operationId);
    const req = buildRequest(this.pkg, op, inputs, this.backendBaseUrl);
    for (const [name, value] of extraQuery) setHeaderLike(req.query, name, value, 'override');
    if (runsScript(this.pkg.customCode, op.operationId)) return this.runScript(op, req);
    return this.send(op, req);
  }

  /**
   * An operation the custom code answers ("When code is used, it takes precedence over the
   * codeless definition": Learn, "Write code"). Context.Request is the request the definition
   * builds, with the connection's token; what the script sends through Context.SendAsync to the
   * backend goes through send(), so the call limit, the token and the operation's policies
   * apply (Assumption: the order; see the runtime README, "Custom code").
   */
  private async runScript(op: Operation, req: OutgoingRequest): Promise<FlowResponse> {
    const code = this.pkg.customCode!;
    const host = this.scriptHost();
    if (!host) return flowResponseOf(platformError(code.unavailable ?? `${code.file} is not compiled.`));
    const original = { ...req, baseUrl: this.connectorBaseUrl };
    const request = scriptRequestOf({ ...req, headers: { ...req.headers, authorization: `Bearer ${this.options.token}` } });
    const answer = await host.execute({
      operationId: op.operationId,
      correlationId: req.headers['ms-correlationid'] ?? randomUUID(),
      originalRequestUri: urlOf(original),
      connectorBaseUri: this.connectorBaseUrl,
      request,
      send: (sent, signal) => this.sendFromScript(op, req, sent, signal),
      log: (level, message) => this.options.onScriptLog?.(level, message, op.operationId),
    });
    return flowResponseOf(answer);
  }

  /** Context.SendAsync: to the backend through send(); anywhere else as the script built it. */
  private async sendFromScript(op: Operation, template: OutgoingRequest, sent: ScriptHttpRequest, signal: AbortSignal): Promise<ScriptHttpResponse> {
    const backend = backendRequestOf(sent, this.backendBaseUrl, template);
    if (backend) return scriptResponseOf(await this.send(op, backend, signal));
    const res = await this.fetchImpl(sent.url, { method: sent.method, headers: sent.headers, body: sent.body ? Buffer.from(sent.body) : undefined, signal });
    return { status: res.status, reason: res.statusText, headers: headerRecord(res.headers), body: new Uint8Array(await res.arrayBuffer()) };
  }

  private context(op: Operation): PolicyContext {
    return {
      connectionParameters: this.options.connectionParameters ?? {},
      originalMethod: op.method,
      connectorBaseUrl: this.connectorBaseUrl,
      backendBaseUrl: this.backendBaseUrl,
      fetchJson: (method, url) => this.transport(method, url, { authorization: `Bearer ${this.options.token}`, accept: 'application/json' }, undefined),
      markUnauthenticated: () => {
        this.unauthenticated = true;
      },
    };
  }

  private async send(op: Operation, req: OutgoingRequest, signal?: AbortSignal): Promise<FlowResponse> {
    if (this.unauthenticated) {
      return { status: 401, headers: { 'content-type': 'application/json' }, body: { error: { code: 'Unauthorized', message: 'The connection is not authenticated; fix the connection and sign in again.' } } };
    }
    if (this.throttle) {
      const admitted = this.throttle.admit();
      if (!admitted.ok) {
        // The gateway's own refusal: nothing reaches the backend. Body shape of Azure API
        // Management's rate-limit policy, which fronts connectors (README.md).
        return {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': String(admitted.retryAfterSeconds) },
          body: { statusCode: 429, message: `Rate limit is exceeded. Try again in ${admitted.retryAfterSeconds} seconds.` },
        };
      }
    }
    const ctx = this.context(op);
    // The platform adds the connection's token first, so a setheader policy may replace it.
    req.headers.authorization = `Bearer ${this.options.token}`;
    const policies = this.policiesFor(op.operationId);
    for (const p of policies) if (p.request) await p.request(req, ctx);
    if (req.body !== undefined && !req.headers['content-type']) req.headers['content-type'] = 'application/json';
    const query = req.query.length ? `?${new URLSearchParams(req.query).toString().replace(/%24/g, '$').replace(/\+/g, '%20')}` : '';
    const res = await this.transport(req.method, `${req.baseUrl}${req.path}${query}`, req.headers, req.body === undefined ? undefined : JSON.stringify(req.body), signal);
    for (const p of policies) {
      if (p.response && (p.section === 'response' || (p.section === 'failure' && res.status >= 400))) p.response(res, ctx);
    }
    return res;
  }

  private async transport(method: string, url: string, headers: Record<string, string>, body: string | undefined, signal?: AbortSignal): Promise<BackendResponse> {
    const res = await this.fetchImpl(url, { method, headers, body, signal });
    const responseHeaders = headerRecord(res.headers);
    return { status: res.status, headers: responseHeaders, body: parseBody(await res.text(), responseHeaders['content-type']) };
  }

  /**
   * A request addressed to the connector's host (a next link, or a call through the local
   * gateway): matched to the operation whose path it is on, then run like an action.
   */
  async route(method: string, pathAndQuery: string, headers: Record<string, string> = {}, body?: unknown): Promise<FlowResponse> {
    const url = new URL(pathAndQuery, 'http://connector.local');
    const onPath = [...this.pkg.operations.values()].map((op) => ({ op, m: op.pathPattern.exec(url.pathname) })).filter((x) => x.m);
    const found = onPath.find((x) => x.op.method === method.toUpperCase());
    if (!found) {
      const allowed = onPath.map((x) => x.op.method);
      return allowed.length
        ? gatewayError(405, 'MethodNotAllowed', `${method} is not an operation of the connector on ${url.pathname}; use ${allowed.join(', ')}.`, { allow: allowed.join(', ') })
        : gatewayError(404, 'NotFound', `The connector has no operation on ${url.pathname}.`);
    }
    const { op } = found;
    const inputs: FlowInputs = {};
    for (const [i, name] of op.pathNames.entries()) {
      const segment = found.m![i + 1]!;
      try {
        inputs[name] = decodeURIComponent(segment);
      } catch {
        return gatewayError(400, 'InvalidPath', `The path segment '${segment}' (parameter '${name}' of ${op.operationId}) is not valid percent-encoding.`);
      }
    }
    const extra: Array<[string, string]> = [];
    const declared = new Map(op.parameters.map((p) => [`${p.in}:${p.name.toLowerCase()}`, p]));
    const take = (where: 'query' | 'header', name: string, value: string): boolean => {
      const p = declared.get(`${where}:${name.toLowerCase()}`);
      if (p && !p.internal) inputs[p.name] = typedValue(p.type, value);
      return p !== undefined;
    };
    for (const [name, value] of url.searchParams) {
      if (!take('query', name, value)) extra.push([name, value]); // e.g. $skiptoken of a next link: passed through (assumption)
    }
    for (const [name, value] of Object.entries(headers)) take('header', name, value);
    const bodyParam = op.parameters.find((p) => p.in === 'body');
    if (bodyParam && body !== undefined) inputs[bodyParam.name] = body;
    return this.invoke(op.operationId, inputs, extra);
  }

  /**
   * Follows a next link as the platform does: only a link on the connector's own host is
   * followed (through the connector, policies applied); any other host fails the run.
   */
  async follow(link: string): Promise<FlowResponse> {
    if (!link.startsWith(`${this.connectorBaseUrl}/`)) {
      throw new FlowRunError(
        `The next link '${link}' is not on the connector's host (${this.connectorBaseUrl}); the platform follows next links only through the connector, so paging stops the run here. An updatenextlink policy rewrites such links.`,
      );
    }
    return this.route('GET', link.slice(this.connectorBaseUrl.length));
  }

  /**
   * Runs a pageable action with Pagination on: follows x-ms-pageable's nextLinkName until the
   * threshold is reached or no link remains. The flow sees one body with every item.
   */
  async invokeAll(operationId: string, inputs: FlowInputs, paging: PagingOptions): Promise<FlowResponse & { pages: number }> {
    const op = this.operation(operationId);
    if (!op.nextLinkName) throw new FlowRunError(`'${operationId}' is not x-ms-pageable: the designer offers no Pagination setting for it.`);
    if (!(Number.isInteger(paging.threshold) && paging.threshold >= 1 && paging.threshold <= 100_000)) {
      throw new FlowRunError(`The Pagination threshold must be an integer from 1 to 100000, got ${paging.threshold}.`);
    }
    let res = await this.invoke(operationId, inputs);
    let pages = 1;
    const items: unknown[] = [];
    for (;;) {
      if (res.status >= 300) return { ...res, pages };
      const body = res.body as Record<string, unknown> | undefined;
      const value = body?.value;
      if (Array.isArray(value)) items.push(...value);
      const next = body?.[op.nextLinkName];
      if (items.length >= paging.threshold || typeof next !== 'string' || !next) break;
      res = await this.follow(next);
      pages++;
    }
    const first = res.body as Record<string, unknown>;
    const { [op.nextLinkName]: _dropped, ...rest } = first ?? {};
    return { status: 200, headers: res.headers, body: { ...rest, value: items.slice(0, paging.threshold) }, pages };
  }
}
