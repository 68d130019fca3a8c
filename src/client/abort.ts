import { later } from './check.js';

/**
 * `promise`, or a rejection with the signal's reason as soon as the signal aborts,
 * whichever comes first; `onAbort` undoes whatever the promise was waiting on.
 * Only this caller stops waiting: a promise shared with other calls carries on.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      onAbort?.();
      reject(signal!.reason);
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    promise.then(resolve, reject).finally(() => signal?.removeEventListener('abort', stop));
  });
}

/**
 * setTimeout as a promise that rejects with the signal's reason on abort (and then clears the timer).
 * A wait beyond setTimeout's range (about 24.8 days) ends there rather than at once.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout>;
  return abortable(new Promise<void>((resolve) => (timer = later(resolve, ms))), signal, () => clearTimeout(timer));
}

/** Makes `ctl` abort when any of `signals` does; returns the function that detaches them. */
export function follow(ctl: AbortController, signals: (AbortSignal | undefined)[]): () => void {
  const detach: (() => void)[] = [];
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) ctl.abort(s.reason);
    const onAbort = () => ctl.abort(s.reason);
    s.addEventListener('abort', onAbort, { once: true });
    detach.push(() => s.removeEventListener('abort', onAbort));
  }
  return () => detach.forEach((d) => d());
}
