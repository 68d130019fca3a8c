/**
 * A package built from a small swagger and a list of policy instances, connected to the
 * recording backend of the corpus measurement (scripts/lib/runtime-behaviour.ts), so a test
 * asserts what the backend would receive.
 */
import { ConnectorRuntime, parsePackage, type ConnectionOptions } from '../../src/connector-runtime/index.js';
import { recordingBackend, type Answer, type RecordedRequest } from '../../scripts/lib/runtime-behaviour.js';

export const P = 'x-ms-apimTemplateParameter.';

export interface RecordingSetup {
  definition: Record<string, unknown>;
  policies?: unknown[];
  /** apiProperties.json's connectionParameters (declarations). */
  declared?: Record<string, unknown>;
  answer?: (req: RecordedRequest) => Answer;
  options?: Partial<ConnectionOptions>;
}

export function recording({ definition, policies = [], declared, answer, options = {} }: RecordingSetup) {
  const backend = recordingBackend(answer);
  const properties = { properties: { policyTemplateInstances: policies, ...(declared ? { connectionParameters: declared } : {}) } };
  const pkg = parsePackage(definition, properties);
  const conn = new ConnectorRuntime(pkg).connect({
    backendBaseUrl: options.backendBaseUrl ?? `https://${String(definition.host)}${String(definition.basePath ?? '')}`.replace(/\/$/, ''),
    connectorBaseUrl: 'https://gateway.test/apim/test/c1',
    callLimit: false,
    fetch: backend.fetch,
    requestId: () => 'request-1',
    ...options,
  });
  return { conn, sent: backend.sent, pkg };
}

/** A swagger with one operation. */
export function oneOperation(path: string, method: string, operation: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { swagger: '2.0', info: { title: 'Test' }, host: 'api.example.com', basePath: '/', schemes: ['https'], paths: { [path]: { [method]: { responses: { 200: { description: 'ok' } }, ...operation } } }, ...extra };
}

/**
 * A body through one template on a POST operation: with section Request the body the backend
 * receives, with Response the answer the flow gets when the backend answers with `body`.
 */
export async function throughTemplate(templateId: string, parameters: Record<string, unknown>, body: unknown, section: 'Request' | 'Response' = 'Request'): Promise<unknown> {
  const definition = oneOperation('/items', 'post', { operationId: 'Post', parameters: [{ name: 'body', in: 'body', required: true, schema: { type: 'object' } }] });
  const { conn, sent } = recording({ definition, policies: [{ templateId, title: 't', parameters: { ...parameters, 'x-ms-apimTemplate-policySection': section } }], answer: () => ({ body }) });
  const res = await conn.invoke('Post', { body });
  return section === 'Request' ? sent[0]!.body : res.body;
}
