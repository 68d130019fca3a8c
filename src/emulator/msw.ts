/**
 * MSW 2 handlers backed by the emulator: `partner-center-referrals/mocks`.
 *
 *     import { setupServer } from 'msw/node';
 *     import { ReferralsEmulator, createReferralsHandlers } from 'partner-center-referrals/mocks';
 *
 *     const emulator = new ReferralsEmulator({ count: 50, rateLimit: false });
 *     const server = setupServer(...createReferralsHandlers({ emulator }));
 *
 * The handlers answer every request under `{baseUrl}/v1.0/engagements/`, like the real
 * service: unknown paths get 404, wrong methods 405.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { ReferralsEmulator, type EmulatorResponse } from './core/index.js';
import { BASE_PATH } from './core/spec.js';

export * from './core/index.js';

export const DEFAULT_BASE_URL = 'https://api.partner.microsoft.com';

export interface ReferralsHandlersOptions {
  /** The emulator to serve (a new empty one with default options when omitted). */
  emulator?: ReferralsEmulator;
  /** Origin of the API (default https://api.partner.microsoft.com). */
  baseUrl?: string;
}

export function createReferralsHandlers(options: ReferralsHandlersOptions = {}): HttpHandler[] {
  const emulator = options.emulator ?? new ReferralsEmulator();
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  return [
    http.all(`${baseUrl}${BASE_PATH}/*`, async ({ request }) => {
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      const response = await emulator.handle({
        method: request.method,
        url: request.url,
        headers,
        body: hasBody ? await request.text() : undefined,
      });
      switch (response.fault) {
        case 'reset':
          return HttpResponse.error();
        case 'hang':
          return hang(request.signal);
        case 'truncate':
          return truncated(response);
        default:
          return new HttpResponse(response.body ?? null, { status: response.status, headers: response.headers });
      }
    }),
  ];
}

/** Never answers; settles only when the client aborts, so MSW can let go of the request. */
function hang(signal: AbortSignal): Promise<Response> {
  return new Promise((resolve) => {
    const abort = () => resolve(HttpResponse.error());
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}

/**
 * Headers and the first half of the body arrive, then the stream fails as a cut connection does.
 * An answer without a body (204) has nothing to cut: the connection drops instead.
 */
function truncated(response: EmulatorResponse): Response {
  if (!response.body) return HttpResponse.error();
  const bytes = new TextEncoder().encode(response.body);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.subarray(0, Math.floor(bytes.length / 2)));
      controller.error(new TypeError('terminated: the connection closed before the body was complete'));
    },
  });
  return new HttpResponse(body, { status: response.status, headers: { ...response.headers, 'content-length': String(bytes.length) } });
}
