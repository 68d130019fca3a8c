/**
 * Run in a worker thread by BoundedWorker (test/harness/bounded-worker.ts): one list request
 * with the given query string on a seeded emulator, timed. Query options are where untrusted
 * text meets a third-party parser, so tests and `npm run fuzz` send them here first: if one
 * never returns, the worker is stopped and the input named, instead of the test process hanging.
 */
import { ReferralsEmulator } from '../../src/emulator/core/index.js';

const emulator = new ReferralsEmulator({ count: 40, rateLimit: false, requestLogLimit: 0 });

export interface ListAnswer {
  status: number;
  /** The error code of a 4xx/5xx. */
  code?: string;
  description?: string;
  /** Time spent in `handle()`. */
  ms: number;
}

export default async function list(query: string): Promise<ListAnswer> {
  const started = performance.now();
  const response = await emulator.handle({
    method: 'GET',
    url: `https://api.partner.microsoft.com/v1.0/engagements/referrals?${query}`,
    headers: { authorization: 'Bearer fuzz' },
  });
  const ms = performance.now() - started;
  if (response.status < 400) return { status: response.status, ms };
  const body = JSON.parse(response.body ?? '{}') as { code: string; description: string };
  return { status: response.status, code: body.code, description: body.description, ms };
}
