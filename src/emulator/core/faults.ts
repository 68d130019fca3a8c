/**
 * Fault injection for client tests: the next N matching calls fail in a chosen way.
 * Status faults (500/503/429), `hang` and `reset` strike before the request is processed unless
 * `afterProcessing` is set (the change is committed, then the answer is lost: the case
 * MS-RequestId idempotency exists for). `truncate` always strikes after processing: the client
 * receives the start of the real answer and then the connection ends.
 */
export type FaultKind = 500 | 503 | 429 | 'hang' | 'reset' | 'truncate';

export interface FaultMatch {
  /** HTTP method, e.g. 'POST'. */
  method?: string;
  /** operationId, e.g. 'CreateReferral'. */
  operation?: string;
}

export interface FaultOptions {
  kind: FaultKind;
  /** How many matching calls fail (default 1). */
  count?: number;
  /** Retry-After seconds for 429 and 503 (default 1). */
  retryAfterSeconds?: number;
  match?: FaultMatch;
  /** Process the request first, then fail the answer (not for `truncate`, which always does). */
  afterProcessing?: boolean;
}

interface PendingFault {
  options: FaultOptions;
  remaining: number;
}

const KINDS: readonly unknown[] = [500, 503, 429, 'hang', 'reset', 'truncate'];

export class Faults {
  private readonly queue: PendingFault[] = [];

  inject(options: FaultOptions): void {
    if (!KINDS.includes(options.kind)) throw new TypeError(`Unknown fault kind ${JSON.stringify(options.kind)}; use one of ${KINDS.join(', ')}`);
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`Fault count must be a positive integer, got ${count}`);
    this.queue.push({ options: { ...options, match: options.match && { ...options.match } }, remaining: count });
  }

  /** Takes one use of the first fault matching this call in this phase. */
  take(method: string, operation: string | undefined, phase: 'before' | 'after'): FaultOptions | undefined {
    const index = this.queue.findIndex(({ options: o }) => {
      const after = o.kind === 'truncate' || o.afterProcessing === true;
      if (after !== (phase === 'after')) return false;
      if (o.match?.method && o.match.method.toUpperCase() !== method) return false;
      if (o.match?.operation && o.match.operation !== operation) return false;
      return true;
    });
    if (index < 0) return undefined;
    const fault = this.queue[index]!;
    fault.remaining--;
    if (fault.remaining === 0) this.queue.splice(index, 1);
    return fault.options;
  }

  /** Faults not yet used up. */
  get pending(): number {
    return this.queue.reduce((n, f) => n + f.remaining, 0);
  }

  clear(): void {
    this.queue.length = 0;
  }
}
