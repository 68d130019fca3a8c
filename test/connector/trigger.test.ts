/**
 * The trigger of the built package (dist/connector: openapi/script.csx enabled for
 * OnReferralCreatedOrUpdated) run by the connector runtime against the emulator, as the
 * platform's engine drives it: 202 starts nothing, 200 starts one run per referral (batch,
 * split on `value`), the next poll goes to the answer's Location after its Retry-After. Every
 * version of a referral, (id, eTag), must start exactly one run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorRuntime, FlowRunError, missingMono, PollingTrigger, type Connection, type ConnectionOptions } from '../../src/connector-runtime/index.js';
import { prerequisites } from '../prerequisites.js';
import { CONNECTOR_DIR, referralInput, startHarness, type Harness } from './harness.js';

const TRIGGER = 'OnReferralCreatedOrUpdated';
/** The script's constants (openapi/script.csx), as the connector readme states them. */
const OVERLAP_MS = 5 * 60_000;
const IDLE_RETRY_AFTER_S = 60;
const MAX_STATE_BYTES = 8192;
const MAX_STATE_CHARS = Math.ceil((MAX_STATE_BYTES * 4) / 3);

const available = prerequisites('the trigger in custom code', [missingMono()]);

interface Version {
  id: string;
  eTag: string;
}
const key = (v: Version) => `${v.id} ${v.eTag}`;

/** A flow on the trigger: the engine's Location and the runs it started, across runtime restarts. */
class Flow {
  runtime: ConnectorRuntime;
  conn: Connection;
  trigger: PollingTrigger;
  readonly runs: Version[] = [];
  readonly logs: string[] = [];
  maxStateChars = 0;
  restarts = 0;

  constructor(
    private readonly h: Harness,
    private readonly extra: Partial<ConnectionOptions> = {},
  ) {
    this.runtime = h.runtime;
    this.conn = this.connect();
    this.trigger = this.newTrigger();
  }

  private connect(): Connection {
    return this.runtime.connect({ backendBaseUrl: this.h.server.apiUrl, token: 'flow-connection-token', clock: this.h.clock.ms, callLimit: false, onScriptLog: (_l, m) => this.logs.push(m), ...this.extra });
  }

  private newTrigger(location?: string): PollingTrigger {
    return new PollingTrigger(this.conn, TRIGGER, {}, { location });
  }

  /** Uses another connection (e.g. one with a hook) for the next polls. */
  use(conn: Connection): void {
    this.conn = conn;
    this.trigger = this.newTrigger(this.trigger.location);
  }

  private record(runs: unknown[]): void {
    for (const run of runs) {
      const r = run as Version;
      this.runs.push({ id: r.id, eTag: r.eTag });
    }
    const state = new URL(this.trigger.location ?? 'https://x.invalid/').searchParams.get('triggerState') ?? '';
    this.maxStateChars = Math.max(this.maxStateChars, state.length);
  }

  /** One engine call. */
  async poll() {
    const r = await this.trigger.poll();
    this.record(r.runs);
    return r;
  }

  /** One recurrence (polls while Retry-After is 0), then the engine waits its Retry-After. */
  async recurrence() {
    const r = await this.trigger.recurrence();
    this.record(r.runs);
    this.h.clock.advance((r.retryAfterSeconds ?? IDLE_RETRY_AFTER_S) * 1000);
    return r;
  }

  /** The runtime stops and a new one loads dist/connector; only the engine's Location survives. */
  async restart(): Promise<void> {
    const location = this.trigger.location;
    await this.runtime.close();
    this.runtime = ConnectorRuntime.load(CONNECTOR_DIR);
    this.h.runtime = this.runtime;
    this.conn = this.connect();
    this.trigger = this.newTrigger(location);
    this.restarts++;
  }

  count(v: Version): number {
    return this.runs.filter((r) => key(r) === key(v)).length;
  }
}

/** Changes made by someone else in Partner Center (straight into the emulator's store). */
function changes(h: Harness) {
  return {
    create(name: string, stamped?: Date): Version {
      const r = h.emulator.store.insert(stamped ? { ...referralInput(name), createdDateTime: stamped.toISOString(), updatedDateTime: stamped.toISOString() } : referralInput(name));
      return { id: r.id, eTag: r.eTag };
    },
    update(id: string): Version {
      const r = h.emulator.store.update(id, (x) => {
        (x.details as Record<string, unknown>).notes = `changed at ${h.clock.now().toISOString()} (${Math.random()})`;
      });
      return { id: r.id, eTag: r.eTag };
    },
  };
}

let h: Harness;
afterEach(async () => h?.close());

describe.skipIf(!available)('OnReferralCreatedOrUpdated: former limits, now exactly once', () => {
  it('reports the first referral on an empty account (the first poll fixes the start at its own time)', async () => {
    h = await startHarness({ count: 0 });
    const flow = new Flow(h);
    const first = await flow.poll();
    expect(first).toMatchObject({ status: 202, runs: [], retryAfterSeconds: IDLE_RETRY_AFTER_S });
    expect(new URL(first.location!).searchParams.get('triggerState')).toBeTruthy();
    h.clock.advance(1000);
    const created = changes(h).create('First ever');
    expect((await flow.recurrence()).runs).toHaveLength(1);
    expect(flow.runs).toEqual([created]);
    expect((await flow.recurrence()).status).toBe(202);
    expect(flow.runs).toEqual([created]);
  });

  it('does not report what existed before the first poll', async () => {
    h = await startHarness({ count: 5 });
    const flow = new Flow(h);
    await flow.recurrence();
    expect((await flow.recurrence()).status).toBe(202);
    expect(flow.runs).toEqual([]);
  });

  it('reports an update stamped with the same instant as one already reported, seen after that poll', async () => {
    h = await startHarness({ count: 3 });
    const ids = h.emulator.store.list().map((r) => r.id);
    const flow = new Flow(h);
    await flow.recurrence();
    const c = changes(h);
    const a = c.update(ids[0]!);
    await flow.recurrence();
    // The clock did not move: same updatedDateTime as `a`, which the last poll already reported.
    h.clock.advance(-IDLE_RETRY_AFTER_S * 1000);
    const b = c.update(ids[1]!);
    h.clock.advance(IDLE_RETRY_AFTER_S * 1000);
    const stamps = h.emulator.store.list().filter((r) => r.id === a.id || r.id === b.id).map((r) => r.updatedDateTime);
    expect(new Set(stamps).size).toBe(1);
    await flow.recurrence();
    await flow.recurrence();
    expect(flow.runs).toEqual([a, b]);
  });

  it('reports an update that becomes visible later than newer ones, inside the overlap window, once', async () => {
    h = await startHarness({ count: 0 });
    const flow = new Flow(h);
    await flow.recurrence();
    const c = changes(h);
    h.clock.advance(10 * 60_000);
    const newer = c.create('Newer');
    await flow.recurrence();
    // Stamped 4 minutes ago, visible only now (replication lag): older than what was reported.
    const late = c.create('Late', new Date(h.clock.ms() - 4 * 60_000));
    await flow.recurrence();
    await flow.recurrence();
    expect(flow.runs).toEqual([newer, late]);
  });

  it('limit that remains: a change visible later than the overlap window after its timestamp is missed', async () => {
    h = await startHarness({ count: 0 });
    const flow = new Flow(h);
    await flow.recurrence();
    h.clock.advance(OVERLAP_MS * 2);
    await flow.recurrence();
    const tooLate = changes(h).create('Too late', new Date(h.clock.ms() - OVERLAP_MS - 120_000));
    await flow.recurrence();
    await flow.recurrence();
    expect(flow.count(tooLate)).toBe(0);
  });

  it('reports each version once when the list shifts during a multi-page poll', async () => {
    h = await startHarness({ count: 0 });
    const flow = new Flow(h);
    await flow.recurrence();
    const c = changes(h);
    const created: Version[] = [];
    for (let i = 0; i < 250; i++) {
      h.clock.advance(1000);
      created.push(c.create(`C${i}`));
    }
    const { conn, hook } = h.connectWithHook();
    flow.use(conn);
    // After page 1 (100 read): one read referral changes (moves to the end) and one unread one
    // changes before the reader reaches it; then, after page 2, a third one.
    let moved: Version[] = [];
    hook.run = async () => {
      h.clock.advance(500);
      moved = [c.update(created[0]!.id), c.update(created[150]!.id)];
      hook.run = async () => {
        h.clock.advance(500);
        moved.push(c.update(created[120]!.id));
      };
    };
    const r = await flow.recurrence();
    expect(r.polls).toBeGreaterThanOrEqual(3);
    // created[150]'s first version was replaced before any poll could read it; every other one is reported.
    const expected = [...created.filter((v) => v.id !== created[150]!.id), ...moved];
    for (const v of expected) expect(flow.count(v), key(v)).toBe(1);
    expect(flow.runs).toHaveLength(expected.length);
    expect((await flow.recurrence()).status).toBe(202);
  });

  it('reports 1,000 changes stamped in one instant, once each, paging with Retry-After: 0', async () => {
    h = await startHarness({ count: 0 });
    const flow = new Flow(h);
    await flow.recurrence();
    h.clock.advance(1000);
    const c = changes(h);
    const burst = Array.from({ length: 1000 }, (_, i) => c.create(`Burst ${i}`));
    const r = await flow.recurrence();
    expect(r.polls).toBeGreaterThanOrEqual(10);
    expect(flow.runs).toHaveLength(1000);
    expect(new Set(flow.runs.map(key))).toEqual(new Set(burst.map(key)));
    expect((await flow.recurrence()).status).toBe(202);
    expect(flow.runs).toHaveLength(1000);
    expect(flow.maxStateChars).toBeLessThanOrEqual(MAX_STATE_CHARS);
    expect(flow.logs.filter((l) => l.includes('at its cap'))).toEqual([]);
  });
});
