/**
 * The connection's credentials, as the swagger's securityDefinitions declare them and the
 * connection parameters supply them (docs, "Specify connection parameters": no authentication,
 * basic, API key in a header or the query string, OAuth 2.0). Chosen once when a package loads;
 * applied to every request the connection sends. Sources and assumptions: README.md, "Credentials".
 */
import { PackageError } from './policies.js';

type Json = Record<string, unknown>;

export type Credential =
  | { kind: 'none'; /** Why a declared scheme is not used, if one is declared. */ note?: string }
  /** `definition` undefined: no securityDefinitions, but an oauthSetting connection parameter. */
  | { kind: 'oauth2'; definition: string | undefined }
  | { kind: 'apiKey'; definition: string; in: 'header' | 'query'; name: string; parameter: string }
  | { kind: 'basic'; definition: string; username: 'username'; password: 'password' };

interface ParameterInfo {
  name: string;
  type: string;
}

/**
 * The connection parameter that supplies an API key: `api_key` (the name 233 of the 245 corpus
 * packages with an API key use), else the only securestring parameter, else a securestring one
 * called apiKey/api-key in any case. A package with no connection parameters at all gets `api_key`.
 */
function apiKeyParameter(params: ParameterInfo[]): string | undefined {
  if (params.length === 0 || params.some((p) => p.name === 'api_key')) return 'api_key';
  const secure = params.filter((p) => p.type === 'securestring');
  if (secure.length === 1) return secure[0]!.name;
  return secure.find((p) => p.name.toLowerCase().replace(/[-_]/g, '') === 'apikey')?.name;
}

/**
 * Picks the scheme the connection uses. The platform makes one connection of one kind (the
 * custom connector wizard's Security tab offers one), so among the declared schemes (those the
 * top-level `security` names first, then the rest in declaration order) the first whose values
 * the connection parameters can supply is used. Operation-level `security` is not read: certified
 * packages name schemes there that they never declare (NetDocuments `nd_auth`, Rainbird
 * `basicAuth`, UiPath Automation Cloud `OAuth2`), so the platform cannot be relying on it.
 */
export function readCredential(definition: Json, connectionParameters: Record<string, Json>, definitionFile: string): Credential {
  const defs = (definition.securityDefinitions ?? {}) as Record<string, Json>;
  const params: ParameterInfo[] = Object.entries(connectionParameters).map(([name, p]) => ({ name, type: String(p?.type ?? '') }));
  const hasOAuthSetting = params.some((p) => p.type === 'oauthSetting');

  const named = Array.isArray(definition.security) ? (definition.security as Json[]).flatMap((req) => Object.keys(req ?? {})) : [];
  const order = [...new Set([...named.filter((n) => n in defs), ...Object.keys(defs)])];
  const unsupplied: string[] = [];
  for (const name of order) {
    const def = defs[name] ?? {};
    switch (def.type) {
      case 'oauth2':
        if (hasOAuthSetting || params.length === 0) return { kind: 'oauth2', definition: name };
        unsupplied.push(`'${name}' (oauth2: no oauthSetting connection parameter)`);
        break;
      case 'apiKey': {
        if (def.in !== 'header' && def.in !== 'query') throw new PackageError(definitionFile, `securityDefinitions.${name}`, 'in', `must be header or query for an API key, got ${JSON.stringify(def.in)}`);
        if (typeof def.name !== 'string' || !def.name) throw new PackageError(definitionFile, `securityDefinitions.${name}`, 'name', 'is required for an API key');
        const parameter = apiKeyParameter(params);
        if (parameter) return { kind: 'apiKey', definition: name, in: def.in, name: def.name, parameter };
        unsupplied.push(`'${name}' (apiKey: no api_key or single securestring connection parameter)`);
        break;
      }
      case 'basic':
        // The connection's user name and password: declared as such (53 of the 55 corpus
        // packages that declare basic), or none declared at all (Vonage).
        if (params.length === 0 || (params.some((p) => p.name === 'username') && params.some((p) => p.name === 'password'))) {
          return { kind: 'basic', definition: name, username: 'username', password: 'password' };
        }
        unsupplied.push(`'${name}' (basic: no username and password connection parameters)`);
        break;
      default:
        throw new PackageError(definitionFile, `securityDefinitions.${name}`, 'type', `must be oauth2, apiKey or basic, got ${JSON.stringify(def.type)}`);
    }
  }
  // Assumption: a package whose connection signs in with an oauthSetting parameter, and declares
  // no scheme that its connection parameters supply, sends the signed-in user's token as for
  // oauth2: certified AzureAD, Planner, OutlookTasks (16 corpus packages) have no
  // securityDefinitions; AvePoint Cloud Governance declares basic but asks only for an AAD sign-in.
  if (hasOAuthSetting) return { kind: 'oauth2', definition: undefined };
  return unsupplied.length ? { kind: 'none', note: `declared but not supplied by any connection parameter: ${unsupplied.join(', ')}` } : { kind: 'none' };
}

/** What a connection must be given for its credential; throws naming what is missing. */
export function checkCredentialValues(credential: Credential, token: string | undefined, connectionParameters: Record<string, unknown>): void {
  const need = (value: unknown, what: string) => {
    if (value === undefined || value === null || value === '') throw new Error(`The connection needs ${what}.`);
  };
  if (credential.kind === 'oauth2') need(token, `an OAuth access token (option 'token') for ${credential.definition ? `securityDefinitions '${credential.definition}'` : 'its oauthSetting connection parameter'}`);
  if (credential.kind === 'apiKey') need(connectionParameters[credential.parameter], `the connection parameter '${credential.parameter}' for the API key of securityDefinitions '${credential.definition}'`);
  if (credential.kind === 'basic') {
    need(connectionParameters[credential.username], `the connection parameter 'username' for securityDefinitions '${credential.definition}' (basic)`);
    need(connectionParameters[credential.password], `the connection parameter 'password' for securityDefinitions '${credential.definition}' (basic)`);
  }
}

/**
 * The credential on a request: OAuth `Authorization: Bearer <token>`; an API key under its
 * declared name in a header or the query ("a header with name 'ApiKey' and value as entered by
 * the user are added to the request", docs "Specify connection parameters"); basic
 * `Authorization: Basic base64(username:password)` (RFC 7617).
 */
export function credentialHeadersAndQuery(credential: Credential, token: string | undefined, connectionParameters: Record<string, unknown>): { headers: Record<string, string>; query: Array<[string, string]> } {
  switch (credential.kind) {
    case 'oauth2':
      return { headers: { authorization: `Bearer ${token}` }, query: [] };
    case 'apiKey': {
      const value = String(connectionParameters[credential.parameter]);
      return credential.in === 'header' ? { headers: { [credential.name.toLowerCase()]: value }, query: [] } : { headers: {}, query: [[credential.name, value]] };
    }
    case 'basic': {
      const pair = `${String(connectionParameters[credential.username])}:${String(connectionParameters[credential.password])}`;
      return { headers: { authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` }, query: [] };
    }
    default:
      return { headers: {}, query: [] };
  }
}
