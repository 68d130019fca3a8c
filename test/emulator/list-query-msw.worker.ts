/**
 * Like list-query.worker.ts, through the MSW handlers a user's own tests run (msw/node in this
 * worker thread): the same core must answer there too.
 */
import { setupServer } from 'msw/node';
import { createReferralsHandlers, ReferralsEmulator } from '../../src/emulator/msw.js';
import type { ListAnswer } from './list-query.worker.js';

const server = setupServer(...createReferralsHandlers({ emulator: new ReferralsEmulator({ count: 40, rateLimit: false }) }));
server.listen({ onUnhandledRequest: 'error' });

export default async function list(query: string): Promise<ListAnswer> {
  const started = performance.now();
  const res = await fetch(`https://api.partner.microsoft.com/v1.0/engagements/referrals?${query}`, { headers: { authorization: 'Bearer msw' } });
  const body = (await res.json()) as { code?: string; description?: string };
  return { status: res.status, code: body.code, description: body.description, ms: performance.now() - started };
}
