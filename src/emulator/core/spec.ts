/**
 * The spec, as `npm run generate` bundles it, and the facts the emulator reads from it:
 * operations with their declared responses, and the Referral schema.
 */
import swagger from '../../../generated/referrals.swagger.json' with { type: 'json' };
import { SchemaModel, type SchemaNode, type SchemaRoot } from './schema-model.js';

export interface SwaggerResponse {
  $ref?: string;
  description?: string;
  schema?: SchemaNode;
  headers?: Record<string, SchemaNode>;
}

export interface SwaggerOperation {
  operationId: string;
  parameters?: Array<Record<string, unknown>>;
  responses: Record<string, SwaggerResponse>;
  [key: string]: unknown;
}

export interface SwaggerDoc extends SchemaRoot {
  basePath: string;
  host: string;
  paths: Record<string, Record<string, SwaggerOperation>>;
  parameters?: Record<string, Record<string, unknown>>;
  responses?: Record<string, SwaggerResponse>;
}

export const spec = swagger as unknown as SwaggerDoc;

export const BASE_PATH = spec.basePath;

/** Operations the real service has at the emulated paths (the others are connector-only routes). */
export type OperationId = 'GetAllReferrals' | 'CreateReferral' | 'GetReferralById' | 'UpdateReferralById' | 'PatchReferralById';

export interface OperationInfo {
  operationId: string;
  method: string;
  path: string;
  operation: SwaggerOperation;
}

/** Every operation of the spec by operationId, including the connector-only ones. */
export const operations: ReadonlyMap<string, OperationInfo> = new Map(
  Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => method !== 'parameters' && !method.startsWith('x-'))
      .map(([method, operation]): [string, OperationInfo] => [
        operation.operationId,
        { operationId: operation.operationId, method: method.toUpperCase(), path, operation },
      ]),
  ),
);

/** Response object of an operation for a status code, `#/responses/...` references followed. */
export function declaredResponse(operationId: string, status: number): SwaggerResponse | undefined {
  const op = operations.get(operationId);
  let response = op?.operation.responses[String(status)] ?? op?.operation.responses.default;
  if (response?.$ref) {
    const name = response.$ref.replace('#/responses/', '');
    response = spec.responses?.[name];
  }
  return response;
}

export const schemaModel = new SchemaModel(spec);
export const referralSchema: SchemaNode = schemaModel.definition('Referral');
