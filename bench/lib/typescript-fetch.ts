// The typescript-fetch side of the client-overhead benchmark. Loaded by bench/client-overhead.ts
// through a computed import, because the generated runtime only compiles under
// test/generator/tsconfig.json (which type-checks this file); the root tsconfig excludes it.
import { Configuration, ReferralsApi } from '../../generated/typescript-fetch/index.js';

/** Restated as TypescriptFetchModule in bench/client-overhead.ts. */
export function createTypescriptFetchCalls(basePath: string, token: string): { getReferralById(id: string): Promise<unknown> } {
  const api = new ReferralsApi(new Configuration({ basePath, accessToken: `Bearer ${token}` }));
  return { getReferralById: (id) => api.getReferralById({ id }) };
}
