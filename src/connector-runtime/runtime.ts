/**
 * A connection to a loaded connector package: runs operations as flow actions do (inputs ->
 * swagger request -> platform headers and credentials -> policies -> backend -> response
 * policies), keeps the connection's call limit, and pages x-ms-pageable operations through the
 * connector's own host.
 */
import { randomUUID } from 'node:crypto';
import { checkCredentialValues, credentialHeadersAndQuery } from './credentials.js';
import { backendRequestOf, flowResponseOf, parseBody, runsScript, scriptRequestOf, scriptResponseOf } from './custom-code/definition.js';
import { CustomCodeHost, platformError, type ScriptHttpRequest, type ScriptHttpResponse } from './custom-code/host.js';
import { ExpressionEvaluationError } from './expressions.js';
import { buildRequest, formBody, type FlowInputs } from './inputs.js';
import { loadPackage, type ConnectorPackage, type Operation } from './package.js';
import { LOCAL_RUN, platformHeaders, type FlowRunContext } from './platform-headers.js';
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
  /**
   * The access token of the connection's OAuth sign-in, sent as `Authorization: Bearer`; needed
   * when the package authenticates with OAuth (credentials.ts), unused otherwise.
   */
  token?: string;
  /** The connector's own root as flows reach it (the gateway). Default: a reserved .invalid host. */
  connectorBaseUrl?: string;
  /** Values of apiProperties.json's connection parameters (API key, username, password, host, ...). */
  connectionParameters?: Record<string, unknown>;
  /** The flow run the platform headers describe (platform-headers.ts); defaults to LOCAL_RUN. */
  run?: Partial<FlowRunContext>;
  /** A new id per action call (x-ms-client-request-id and kin); default crypto.randomUUID. */
  requestId?: () => string;
  /** Milliseconds clock for the call limit (default Date.now). */
  clock?: () => number;
  /** Default 100 calls per 60 s; false turns it off. */
  callLimit?: CallLimit | false;
  fetch?: typeof fetch;
  /** Receives the custom code's Context.Logger lines. */
  onScriptLog?: (level: string, message: string, operationId: string) => void;
}

export interface PagingOptions {
  /** The action's Pagination threshold: no further page is fetched once this many items are collected. */
  threshold: number;
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** A URL with a query list appended (`$` kept readable, spaces as %20). */
function withQuery(url: string, query: Array<[string, string]>): string {
  if (!query.length) return url;
  return `${url}?${new URLSearchParams(query).toString().replace(/%24/g, '$').replace(/\+/g, '%20')}`;
}

/**
 * Runs policy hooks in order. An expression that cannot be evaluated at run time ends the call
 * with a 400 of the gateway naming the policy and the expression. **Assumption**: the code and
 * text are ours; no docs page gives the platform's.
 */
async function runPolicies(policies: CompiledPolicy[], run: (p: CompiledPolicy) => void | Promise<void>): Promise<FlowResponse | undefined> {
  for (const p of policies) {
    try {
      await run(p);
    } catch (err) {
      if (!(err instanceof ExpressionEvaluationError)) throw err;
      return gatewayError(400, 'PolicyExpressionFailed', `Policy '${p.title}' (${p.templateId}): the expression ${err.message}.`);
    }
  }
  return undefined;
}

/** A query or header value as the typed input it stands for; left a string when it is not one. */
function typedValue(type: string | undefined, raw: string): unknown {
  if ((type === 'integer' || type === 'number') && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/** An answer of the gateway itself: the request never reached the backend. */
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
  private readonly run: FlowRunContext;
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
    this.run = { ...LOCAL_RUN, ...options.run };
    // Like creating the connection in the designer: the credential's values must be there.
    try {
      checkCredentialValues(pkg.credential, options.token, options.connectionParameters ?? {});
    } catch (err) {
      throw new FlowRunError((err as Error).message);
    }
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
    const req = buildRequest(this.pkg, op, inputs, this.backendBaseUrl, `https://flow.invalid/workflows/${encodeURIComponent(this.run.workflowId)}/callback`);
    for (const [name, value] of extraQuery) setHeaderLike(req.query, name, value, 'override');
    if (runsScript(this.pkg.customCode, op.operationId)) return this.runScript(op, req);
    return this.send(op, req);
  }

  /**
   * An operation the custom code answers ("When code is used, it takes precedence over the
   * codeless definition": Learn, "Write code"). Context.Request is the request the definition
   * builds, with the platform headers and the credential; what the script sends through
   * Context.SendAsync to the backend goes through send(), so the call limit, the credential and
   * the operation's policies apply (Assumption: the order; see the runtime README, "Custom code").
   */
  private async runScript(op: Operation, req: OutgoingRequest): Promise<FlowResponse> {
    const code = this.pkg.customCode!;
    const host = this.scriptHost();
    if (!host) return flowResponseOf(platformError(code.unavailable ?? `${code.file} is not compiled.`));
    const incoming = { ...req, headers: { ...req.headers }, query: [...req.query] };
    this.authorize(op, incoming, this.options.requestId?.() ?? randomUUID());
    const answer = await host.execute({
      operationId: op.operationId,
      correlationId: req.headers['ms-correlationid'] ?? randomUUID(),
      originalRequestUri: withQuery(`${this.connectorBaseUrl}${req.path}`, req.query),
      connectorBaseUri: this.connectorBaseUrl,
      request: scriptRequestOf(incoming, withQuery(`${incoming.baseUrl}${incoming.path}`, incoming.query)),
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

  /** Platform headers, then the credential: what a request carries before the policies run. */
  private authorize(op: Operation, req: Pick<OutgoingRequest, 'headers' | 'query'>, requestId: string): void {
    const connectionParameters = this.options.connectionParameters ?? {};
    for (const [name, value] of Object.entries(platformHeaders(this.run, op.operationId, requestId))) req.headers[name] ??= value;
    const credential = credentialHeadersAndQuery(this.pkg.credential, this.options.token, connectionParameters);
    Object.assign(req.headers, credential.headers);
    for (const [name, value] of credential.query) setHeaderLike(req.query, name, value, 'override');
  }

  private context(op: Operation, requestId: string): PolicyContext {
    return {
      connectionParameters: this.options.connectionParameters ?? {},
      originalMethod: op.method,
      connectorBaseUrl: this.connectorBaseUrl,
      backendBaseUrl: this.backendBaseUrl,
      // A side request carries the connection's platform headers and credential too.
      fetchJson: (method, url) => {
        const side = { headers: { accept: 'application/json' } as Record<string, string>, query: [] as Array<[string, string]> };
        this.authorize(op, side, requestId);
        return this.transport(method, withQuery(url, side.query), side.headers, undefined);
      },
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
    const requestId = this.options.requestId?.() ?? randomUUID();
    const ctx = this.context(op, requestId);
    // Assumption: the platform's headers and the credential come first, so a setheader policy
    // may append to them or replace them (12 corpus setheader instances set Authorization).
    this.authorize(op, req, requestId);
    const policies = this.policiesFor(op.operationId);
    const failed = await runPolicies(policies, (p) => p.request?.(req, ctx));
    if (failed) return failed;
    let body: string | FormData | URLSearchParams | undefined;
    if (req.form) {
      body = formBody(req.form);
      delete req.headers['content-type']; // fetch writes it, with the multipart boundary
    } else if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      req.headers['content-type'] ??= 'application/json';
    }
    const res = await this.transport(req.method, withQuery(`${req.baseUrl}${req.path}`, req.query), req.headers, body, signal);
    const answered = policies.filter((p) => p.response && (p.section === 'response' || (p.section === 'failure' && res.status >= 400)));
    return (await runPolicies(answered, (p) => p.response?.(res, ctx, req))) ?? res;
  }

  private async transport(method: string, url: string, headers: Record<string, string>, body: string | FormData | URLSearchParams | undefined, signal?: AbortSignal): Promise<BackendResponse> {
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
   * threshold is reached or no link remains. The flow sees one body with every item of every
   * page fetched: pages are whole, so a run can get more than the threshold (Logic Apps,
   * "Get more data, items, or records by using pagination": 2,048-record pages, a threshold of
   * 5,000, 6,144 records). Items are read from `value`, x-ms-pageable's default itemName
   * (AutoRest extensions reference); the Power Platform schema has no itemName.
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
    return { status: 200, headers: res.headers, body: { ...rest, value: items }, pages };
  }
}
