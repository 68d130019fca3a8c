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
  let edits = 0;
  return {
    create(name: string, stamped?: Date): Version {
      const r = h.emulator.store.insert(stamped ? { ...referralInput(name), createdDateTime: stamped.toISOString(), updatedDateTime: stamped.toISOString() } : referralInput(name));
      return { id: r.id, eTag: r.eTag };
    },
    update(id: string): Version {
      const r = h.emulator.store.update(id, (x) => {
        (x.details as Record<string, unknown>).notes = `edit ${++edits} at ${h.clock.now().toISOString()}`;
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

  it('reports each version once when referrals of the instant being paged change between its pages, older than the overlap window', async () => {
    h = await startHarness({ count: 0 });
    const flow = new Flow(h);
    await flow.recurrence();
    h.clock.advance(1000);
    const c = changes(h);
    const burst = Array.from({ length: 250 }, (_, i) => c.create(`Burst ${i}`));
    // The engine comes back later than the overlap window (an outage, a long recurrence): no
    // later cycle reads the burst's instant again, so this cycle alone must read all of it.
    h.clock.advance(OVERLAP_MS + 60_000);
    const page1 = await flow.poll();
    expect(page1).toMatchObject({ status: 200, retryAfterSeconds: 0 });
    expect(page1.runs).toHaveLength(100);
    // Two referrals the first page read leave the instant: the rest move up by two places, so a
    // next page that skipped 99 of the instant without checking where it landed would pass over one.
    const moved = (page1.runs as Version[]).slice(0, 2).map((r) => c.update(r.id));
    await flow.recurrence();
    expect((await flow.recurrence()).status).toBe(202);
    for (const v of [...burst, ...moved]) expect(flow.count(v), key(v)).toBe(1);
    expect(flow.runs).toHaveLength(burst.length + moved.length);
  });

  it('measures the overlap from the first page of a cycle, however long its pages take', async () => {
    h = await startHarness({ count: 0 });
    const flow = new Flow(h);
    await flow.recurrence();
    h.clock.advance(10 * 60_000);
    const c = changes(h);
    const cycleStart = h.clock.ms();
    // 250 referrals, one per second up to the cycle's start: three pages.
    const listed = Array.from({ length: 250 }, (_, i) => c.create(`Listed ${i}`, new Date(cycleStart - 250_000 + i * 1000)));
    const throttled = async () => {
      h.emulator.injectFault({ kind: 429, count: 1, retryAfterSeconds: 60, match: { method: 'GET' } });
      expect(await flow.recurrence()).toMatchObject({ status: 202, retryAfterSeconds: 60 });
    };
    expect(await flow.poll()).toMatchObject({ status: 200, retryAfterSeconds: 0 });
    await throttled();
    // Stamped 4.5 minutes ago, before the point the first page reached: the next cycle must read it.
    const late = c.create('Late', new Date(h.clock.ms() - 270_000));
    expect(await flow.poll()).toMatchObject({ status: 200, retryAfterSeconds: 0 });
    // The cycle's last page comes another minute later.
    await throttled();
    await flow.recurrence();
    // The next cycle reads the overlap again and finds the late one.
    expect((await flow.recurrence()).status).toBe(200);
    expect((await flow.recurrence()).status).toBe(202);
    for (const v of [...listed, late]) expect(flow.count(v), key(v)).toBe(1);
    expect(flow.runs).toHaveLength(listed.length + 1);
  });

  it('reports 1,000 changes stamped in one instant, once each, paging with Retry-After: 0', async () => {
    h = await startHarness({ count: 0 });
    const flow = new Flow(h);
    await flow.recurrence();
    h.clock.advance(1000);
    const c = changes(h);
    const burst = Array.from({ length: 1000 }, (_, i) => c.create(`Burst ${i}`));
    const calls = h.received.length;
    const r = await flow.recurrence();
    expect(r.polls).toBeGreaterThanOrEqual(10);
    // One Partner Center call per execution of the script.
    expect(h.received.length - calls).toBe(r.polls);
    expect(flow.runs).toHaveLength(1000);
    expect(new Set(flow.runs.map(key))).toEqual(new Set(burst.map(key)));
    expect((await flow.recurrence()).status).toBe(202);
    expect(flow.runs).toHaveLength(1000);
    expect(flow.maxStateChars).toBeLessThanOrEqual(MAX_STATE_CHARS);
    expect(flow.logs.filter((l) => l.includes('at its cap'))).toEqual([]);
  });
});

/** mulberry32: a small seeded generator, so a failing timeline can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.skipIf(!available)('OnReferralCreatedOrUpdated: a 1,000-change timeline', () => {
  it('starts exactly one run per (id, eTag) through bursts, late changes, changes mid-poll, 429 and 5xx, and runtime restarts', async () => {
    const SEED = 18;
    const rand = random(SEED);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    h = await startHarness({ count: 40 });
    const c = changes(h);
    const flow = new Flow(h);
    const { conn: hooked, hook } = h.connectWithHook();
    const started = h.clock.ms();
    await flow.recurrence();

    const versions: Version[] = [];
    // Referrals whose current version the flow has already had: updating one of them makes a
    // version every poll can see. (Replacing a version nobody could read yet is the list-shift
    // test's case; no polling trigger can report a version it never saw.)
    const current = new Map<string, string>(h.emulator.store.list().map((r) => [r.id, r.eTag]));
    const touched = new Set<string>();
    const settled = () => {
      const reported = new Set(flow.runs.map(key));
      return [...current].filter(([id, eTag]) => !touched.has(id) || reported.has(key({ id, eTag }))).map(([id]) => id);
    };
    const change = (kind: 'create' | 'update' | 'late', taken: Set<string>): void => {
      let v: Version;
      if (kind === 'update') {
        const candidates = settled().filter((id) => !taken.has(id));
        if (!candidates.length) return change('create', taken);
        v = c.update(pick(candidates));
      } else {
        // Late: stamped up to 4.5 minutes ago (but after the flow started), visible only now.
        const lag = Math.floor(rand() * Math.min(OVERLAP_MS - 30_000, h.clock.ms() - started - 1000));
        v = kind === 'late' ? c.create(`Late ${versions.length}`, new Date(h.clock.ms() - lag)) : c.create(`New ${versions.length}`);
      }
      taken.add(v.id);
      touched.add(v.id);
      current.set(v.id, v.eTag);
      versions.push(v);
    };
    const kinds = (): 'create' | 'update' | 'late' => (rand() < 0.45 ? 'update' : rand() < 0.9 ? 'create' : 'late');

    const counts = { bursts: 0, midPoll: 0, faults: 0, restarts: 0, polls: 0 };
    while (versions.length < 1000) {
      const step = rand();
      if (step < 0.25) {
        // A burst: up to 150 changes stamped in the same instant.
        const taken = new Set<string>();
        const n = Math.min(1000 - versions.length, 20 + Math.floor(rand() * 130));
        for (let i = 0; i < n; i++) change(kinds(), taken);
        counts.bursts++;
      } else if (step < 0.6) {
        for (let i = Math.floor(rand() * 8) + 1; i > 0 && versions.length < 1000; i--) {
          h.clock.advance(Math.floor(rand() * 3000));
          change(kinds(), new Set());
        }
      } else if (step < 0.75) {
        // Changes that land between two pages of the next poll.
        flow.use(hooked);
        hook.run = async () => {
          const taken = new Set<string>();
          for (let i = Math.floor(rand() * 4) + 1; i > 0 && versions.length < 1000; i--) change(kinds(), taken);
        };
        counts.midPoll++;
      } else if (step < 0.9) {
        h.emulator.injectFault({ kind: pick([429, 500, 503] as const), count: 1 + Math.floor(rand() * 2), retryAfterSeconds: 30, match: { method: 'GET' } });
        counts.faults++;
      } else {
        await flow.restart();
        counts.restarts++;
      }
      counts.polls += (await flow.recurrence()).polls;
    }
    // Let the trigger catch up: recurrences until one starts nothing and no fault is left.
    for (let i = 0; i < 50 && ((await flow.recurrence()).status === 200 || h.emulator.pendingFaults > 0); i++);
    expect(h.emulator.pendingFaults).toBe(0);

    const delivered = flow.runs.map(key);
    const made = new Set(versions.map(key));
    const deliveredSet = new Set(delivered);
    const missed = versions.filter((v) => !deliveredSet.has(key(v)));
    const repeated = delivered.filter((k, i) => delivered.indexOf(k) !== i);
    const unknown = delivered.filter((k) => !made.has(k));
    console.log(
      `timeline seed ${SEED}: ${versions.length} changes, ${flow.runs.length} runs, missed ${missed.length}, repeated ${repeated.length}; ` +
        `${counts.bursts} bursts, ${counts.midPoll} mid-poll, ${counts.faults} faults, ${counts.restarts} restarts, ${counts.polls} polls, largest state ${flow.maxStateChars} characters`,
    );
    expect(versions).toHaveLength(1000);
    const stamp = (v: Version) => h.emulator.store.get(v.id)?.updatedDateTime;
    expect(missed.map((v) => `${key(v)} ${stamp(v)} (${h.emulator.store.get(v.id)?.name})`)).toEqual([]);
    expect(repeated).toEqual([]);
    expect(unknown).toEqual([]);
    expect(counts.bursts * counts.midPoll * counts.faults * counts.restarts).toBeGreaterThan(0);
    expect(flow.maxStateChars).toBeLessThanOrEqual(MAX_STATE_CHARS);
  }, 300_000);
});

describe.skipIf(!available)('OnReferralCreatedOrUpdated: state, limits and bad input', () => {
  it(`keeps the state at most ${MAX_STATE_BYTES} bytes; past its cap it repeats forgotten versions, never loses one`, async () => {
    h = await startHarness({ count: 0 });
    const flow = new Flow(h);
    await flow.recurrence();
    h.clock.advance(1000);
    const c = changes(h);
    const burst = Array.from({ length: 1100 }, (_, i) => c.create(`Burst ${i}`));
    await flow.recurrence();
    expect(flow.logs.some((l) => /Trigger state at its cap of 8192 bytes: forgot the \d+ oldest/.test(l))).toBe(true);
    expect(flow.maxStateChars).toBeGreaterThan(MAX_STATE_CHARS - 100);
    expect(flow.maxStateChars).toBeLessThanOrEqual(MAX_STATE_CHARS);
    // The next polls inside the overlap window read the instant again: forgotten versions come back.
    for (let i = 0; i < 2; i++) await flow.recurrence();
    for (const v of burst) expect(flow.count(v)).toBeGreaterThanOrEqual(1);
    const repeats = flow.runs.length - burst.length;
    expect(repeats).toBeGreaterThan(0);
    // Once the overlap window has passed the instant, nothing comes back any more.
    h.clock.advance(OVERLAP_MS);
    await flow.recurrence();
    const settledRuns = flow.runs.length;
    await flow.recurrence();
    await flow.recurrence();
    expect(flow.runs.length).toBe(settledRuns);
    console.log(`state cap: ${MAX_STATE_BYTES} bytes (${MAX_STATE_CHARS} characters); ${burst.length} changes in one instant: ${repeats} repeated runs until the overlap window passed, 0 missed`);
  });

  // The state remembers every version reported inside the overlap window, not only those of one
  // instant: each version with an instant of its own costs its 8-byte hash plus a timestamp delta
  // and a count, so the cap holds about 620 of them (the readmes' figure).
  it.each([
    [600, false],
    [660, true],
  ])('with each version at an instant of its own, %i versions inside the overlap window reach the cap: %s', async (n, capped) => {
    h = await startHarness({ count: 0 });
    const flow = new Flow(h);
    await flow.recurrence();
    h.clock.advance(OVERLAP_MS);
    const c = changes(h);
    // One every 0.4 s, the last one now: all of them inside the next cycle's overlap window.
    const spread = Array.from({ length: n }, (_, i) => c.create(`Spread ${i}`, new Date(h.clock.ms() - (n - i) * 400)));
    await flow.recurrence();
    await flow.recurrence();
    expect(flow.logs.some((l) => l.includes('at its cap'))).toBe(capped);
    // Under the cap: each exactly once. At the cap: none missed, the forgotten ones repeated.
    for (const v of spread) expect(flow.count(v), key(v)).toBeGreaterThanOrEqual(1);
    if (capped) expect(flow.runs.length).toBeGreaterThan(n);
    else expect(flow.runs).toHaveLength(n);
    expect(flow.maxStateChars).toBeLessThanOrEqual(MAX_STATE_CHARS);
  });

  it('takes an empty page that still carries a next link as the end of the cycle', async () => {
    h = await startHarness({ count: 0 });
    // OData services may link to a next page from an empty one; the script pages by keyset and
    // an empty page at `ge <start>` means nothing is there, whatever the link says.
    const flow = new Flow(h, {
      fetch: async (input, init) => {
        const res = await globalThis.fetch(input, init);
        const body = (await res.json()) as { value?: unknown[] };
        const linked = Array.isArray(body.value) && body.value.length === 0 ? { ...body, '@odata.nextLink': `${h.server.apiUrl}/referrals?$skiptoken=empty` } : body;
        return new Response(JSON.stringify(linked), { status: res.status, headers: { 'content-type': 'application/json', date: res.headers.get('date')! } });
      },
    });
    await flow.recurrence();
    expect(await flow.recurrence()).toMatchObject({ status: 202, retryAfterSeconds: IDLE_RETRY_AFTER_S, polls: 1 });
    h.clock.advance(1000);
    const created = changes(h).create('After an empty page');
    await flow.recurrence();
    expect(flow.runs).toEqual([created]);
  });

  it('answers in time when Partner Center is slow: 202 with the same state, then carries on', async () => {
    h = await startHarness({ count: 0 });
    const { conn, hook } = h.connectWithHook();
    const flow = new Flow(h);
    await flow.recurrence();
    flow.use(conn);
    const before = flow.trigger.location;
    h.clock.advance(1000);
    const v = changes(h).create('During the slow call');
    hook.run = () => new Promise((resolve) => setTimeout(resolve, 4500));
    const started = performance.now();
    const slow = await flow.poll();
    const took = performance.now() - started;
    expect(slow.status).toBe(202);
    expect(slow.location).toBe(before);
    expect(took).toBeLessThan(5000);
    await flow.recurrence();
    expect(flow.runs).toEqual([v]);
  });

  it.each([
    ['changed', (s: string) => `${s.slice(0, 12)}${s[12] === 'A' ? 'B' : 'A'}${s.slice(13)}`, /checksum does not match/],
    ['truncated', (s: string) => s.slice(0, s.length - 4), /truncated/],
    ['not base64url', () => '!!!', /is not base64url text|truncated/],
  ])('answers a %s trigger state with a clear 400, never a fresh start', async (_name, damage, reason) => {
    h = await startHarness({ count: 2 });
    const flow = new Flow(h);
    await flow.recurrence();
    const url = new URL(flow.trigger.location!);
    url.searchParams.set('triggerState', damage(url.searchParams.get('triggerState')!));
    const res = await flow.conn.follow(url.href);
    expect(res.status).toBe(400);
    const error = (res.body as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('InvalidTriggerState');
    expect(error.message).toMatch(reason);
    expect(error.message).toContain('turn the flow off and on again');
    const engine = new PollingTrigger(flow.conn, TRIGGER, {}, { location: url.href });
    await expect(engine.poll()).rejects.toThrow(FlowRunError);
    expect(engine.location).toBe(url.href);
  });
});
