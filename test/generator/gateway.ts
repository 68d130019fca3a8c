// What Power Platform's gateway does to the three connector-only operations before the request
// reaches Partner Center: the "Route request" policy (routerequesttoendpoint, instances in
// apiProperties.json, compiled into generated/routes.ts) swaps the spec's method and path for
// the real endpoint's, keeping path parameters, query and body.
// Source: https://learn.microsoft.com/en-us/training/modules/policy-templates-custom-connectors/4-configure-host-url-routing
// ("the Route request policy can change the path") and ../shared/facts/power-platform-connector-rules.md
// (newPath relative to basePath, may carry the operation's path parameters; httpMethod optional).
// Assumption: the gateway leaves headers (If-Match, Prefer, MS-RequestId) untouched.
import { basePath, routes } from '../../generated/routes.js';
import type { Middleware } from '../../generated/typescript-fetch/index.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** specPath template -> RegExp capturing its {parameters} by name. */
const matcher = (template: string) => new RegExp(`^${template.split(/(\{\w+\})/).map((part) => (/^\{\w+\}$/.test(part) ? `(?<${part.slice(1, -1)}>[^/]+)` : escape(part))).join('')}$`);

const ROUTED = Object.values(routes)
  .filter((r) => r.specPath !== r.path || r.specMethod !== r.method)
  .map((r) => ({ ...r, match: matcher(r.specPath) }));

/** A typescript-fetch middleware that routes the way the connector's policies do. */
export const connectorGateway: Middleware = {
  async pre({ url, init }) {
    const u = new URL(url);
    const rest = u.pathname.startsWith(basePath) ? u.pathname.slice(basePath.length) : u.pathname;
    const method = (init.method ?? 'GET').toUpperCase();
    for (const route of ROUTED) {
      const m = route.specMethod === method ? route.match.exec(rest) : null;
      if (!m) continue;
      u.pathname = basePath + route.path.replace(/\{(\w+)\}/g, (_, name: string) => m.groups![name]!);
      return { url: u.toString(), init: { ...init, method: route.method } };
    }
    return { url, init };
  },
};
