/**
 * Which operations a package's custom code answers, read from apiProperties.json, and the
 * conversions between the runtime's requests and what the script sees.
 */
import { PackageError, type BackendResponse, type OutgoingRequest } from '../policies.js';
import type { CompiledScript } from './compile.js';
import type { ScriptHttpRequest, ScriptHttpResponse } from './host.js';

export interface CustomCode {
  file: string;
  /** The text of script.csx; absent when a package names scriptOperations but ships no script. */
  source?: string;
  /**
   * `properties.scriptOperations`; undefined when absent or empty, which means every operation:
   * Learn, "Create a custom connector from scratch", step 4: "If no operation is selected, the
   * actions and triggers are applied to all operations" (corpus: TranslatorV3 ships []).
   */
  operations?: string[];
  compiled?: CompiledScript;
  /** Why the script cannot run on this machine (Mono missing); its operations then answer 500. */
  unavailable?: string;
}

/**
 * Reads `properties.scriptOperations`. With a script, every name must be an operation of the
 * swagger (the designer only offers those); without one the list is ignored, as the platform
 * accepted it (corpus: SoloSign and personr name `postCall` and ship no script).
 */
export function readScriptOperations(properties: Record<string, unknown>, file: string, operationIds: Set<string>, hasScript: boolean): string[] | undefined {
  const raw = (properties.properties as Record<string, unknown> | undefined)?.scriptOperations;
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) throw new PackageError(file, 'properties.scriptOperations', undefined, 'must be an array of operationIds');
  if (!hasScript) return undefined;
  for (const name of raw as string[]) {
    if (!operationIds.has(name)) throw new PackageError(file, 'properties.scriptOperations', undefined, `names operation '${name}', which the swagger does not define (it has: ${[...operationIds].join(', ')})`);
  }
  return raw.length ? (raw as string[]) : undefined;
}

export function runsScript(code: CustomCode | undefined, operationId: string): boolean {
  return code?.source !== undefined && (code.operations === undefined || code.operations.includes(operationId));
}

const JSON_TYPE = /^application\/([\w.+-]*\+)?json/i;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/**
 * Context.Request: the request the definition builds, at `url`, body as JSON text. A formData
 * body is not modelled here (no operation of this package has one).
 */
export function scriptRequestOf(req: OutgoingRequest, url: string): ScriptHttpRequest {
  const headers = { ...req.headers };
  if (req.body !== undefined && !headerValue(headers, 'content-type')) headers['content-type'] = 'application/json';
  return { method: req.method, url, headers, body: req.body === undefined ? undefined : encoder.encode(JSON.stringify(req.body)) };
}

/**
 * A request the script sends, as a runtime request on the backend root (so policies and the
 * token apply), or undefined when it goes elsewhere or its body is not JSON.
 */
export function backendRequestOf(request: ScriptHttpRequest, backendBaseUrl: string, template: OutgoingRequest): OutgoingRequest | undefined {
  const url = new URL(request.url);
  const base = new URL(backendBaseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))) return undefined;
  const type = headerValue(request.headers, 'content-type');
  let body: unknown;
  if (request.body && request.body.length) {
    if (!JSON_TYPE.test(type ?? '')) return undefined;
    try {
      body = JSON.parse(decoder.decode(request.body));
    } catch {
      return undefined;
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (!/^(content-length|host)$/i.test(name)) headers[name.toLowerCase()] = value;
  return { ...template, method: request.method.toUpperCase(), baseUrl: backendBaseUrl, path: url.pathname.slice(basePath.length) || '/', query: [...url.searchParams], headers, body, form: undefined };
}

/** A runtime answer as the script reads it from SendAsync. */
export function scriptResponseOf(res: BackendResponse): ScriptHttpResponse {
  const body = res.body === undefined ? new Uint8Array() : encoder.encode(typeof res.body === 'string' ? res.body : JSON.stringify(res.body));
  return { status: res.status, headers: res.headers, body };
}

/** A body as the flow sees it: undefined when empty, parsed when the type is JSON and it parses, else the text. */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (!JSON_TYPE.test(contentType ?? '')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The script's answer as the flow sees it: lower-case headers, JSON bodies parsed. */
export function flowResponseOf(answer: ScriptHttpResponse): BackendResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) headers[name.toLowerCase()] = value;
  return { status: answer.status, headers, body: parseBody(decoder.decode(answer.body), headers['content-type']) };
}
