/**
 * Runs inputs through a module in a worker thread, each under a deadline.
 *
 * A synchronous infinite loop cannot be stopped from the thread it runs on: Vitest's testTimeout
 * never fires, because the event loop never comes back. Code that may loop on hostile input
 * (the OData parser on a query option) therefore runs here, in another thread; this thread's
 * event loop stays free, sees which item the worker is on (shared memory, no message per item),
 * and stops the worker when one item takes longer than the deadline. The error names that item.
 *
 * The module's default export is called with each item and may return a value or a promise
 * (structured-cloneable); what it throws is returned as `{ ok: false, error }`.
 */
import { Worker } from 'node:worker_threads';

const ENTRY = new URL('./bounded-worker-entry.mjs', import.meta.url);
/** Starting a worker (tsx, then the module's imports) is not an item: it gets its own bound. */
const STARTUP_MS = 60_000;
const POLL_MS = 50;

export type ItemResult<R> = { ok: true; value: R } | { ok: false; error: string };

/** An item that ran past its deadline (the worker was stopped), or crashed the worker. */
export class BoundedItemError extends Error {
  constructor(
    /** What happened, without the item: "did not finish within 1000 ms; ...". */
    readonly reason: string,
    readonly item: unknown,
    /** Its index in the batch. */
    readonly index: number,
    label: string,
  ) {
    super(`input ${label} ${reason}`);
    this.name = 'BoundedItemError';
  }
}

export interface BoundedWorkerOptions<T> {
  /** Longest time one item may take, in ms. */
  deadlineMs: number;
  /** How an item is named in errors (default: JSON). */
  label?: (item: T) => string;
}

export class BoundedWorker<T, R = unknown> {
  private worker?: Worker;
  private ready?: Promise<void>;
  private readonly progress = new Int32Array(new SharedArrayBuffer(8));
  /** Set once an item has hung or crashed the worker; later runs start a new worker. */
  failure?: BoundedItemError;

  constructor(
    private readonly module: URL,
    private readonly options: BoundedWorkerOptions<T>,
  ) {}

  private label(item: T): string {
    return this.options.label ? this.options.label(item) : JSON.stringify(item);
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(ENTRY, { workerData: { module: this.module.href, progress: this.progress.buffer } });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`${this.module.pathname}: the worker did not start within ${STARTUP_MS} ms`));
      }, STARTUP_MS);
      worker.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    return this.ready;
  }

  /** Runs one item; rejects with a BoundedItemError naming it if it hangs. */
  async run(item: T): Promise<ItemResult<R>> {
    return (await this.runBatch([item]))[0]!;
  }

  /** Runs items in order in one worker; rejects naming the first item that hangs. */
  async runBatch(items: readonly T[]): Promise<Array<ItemResult<R>>> {
    await this.start();
    const worker = this.worker!;
    const { deadlineMs } = this.options;
    return new Promise((resolve, reject) => {
      let seen = Atomics.load(this.progress, 1);
      let since = performance.now();
      const stop = (message: string) => {
        const index = Math.min(Atomics.load(this.progress, 0), items.length - 1);
        const item = items[index]!;
        this.failure = new BoundedItemError(message, item, index, this.label(item));
        cleanup();
        void worker.terminate();
        this.worker = undefined;
        this.ready = undefined;
        reject(this.failure);
      };
      const timer = setInterval(() => {
        const started = Atomics.load(this.progress, 1);
        if (started !== seen) {
          seen = started;
          since = performance.now();
        } else if (performance.now() - since > deadlineMs) {
          stop(`did not finish within ${deadlineMs} ms; its worker thread was stopped`);
        }
      }, POLL_MS);
      const onMessage = (results: Array<ItemResult<R>>) => {
        cleanup();
        resolve(results);
      };
      const onError = (err: Error) => stop(`crashed its worker thread: ${err.message}`);
      const onExit = (code: number) => stop(`ended its worker thread (exit code ${code})`);
      const cleanup = () => {
        clearInterval(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage(items);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) await worker.terminate();
  }
}
