/**
 * A flow saved on release 0.1.0 polls the trigger of this build. The designer writes the value
 * of every parameter into the flow's definition, internal ones included: they "will never show
 * up in UI", and a required one needs a default, "otherwise designer client would not know what
 * value to write" (the designer's maintainers, Azure/LogicAppsUX issue #4120). So each flow saved
 * on 0.1.0 sends `$orderby=updatedDateTime desc` with its trigger, the internal parameter that
 * 0.2.0 deleted (openapi/breaking-changes.yaml). The custom code must answer it as it answers a
 * flow saved now.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { missingMono } from '../../src/connector-runtime/index.js';
import { prerequisites } from '../prerequisites.js';
import { referralInput, startHarness, type Harness } from './harness.js';

const TRIGGER = 'OnReferralCreatedOrUpdated';
/** What a flow saved on 0.1.0 carries in its trigger's queries: the deleted internal parameter, at its default. */
const STORED_ON_0_1_0: Array<[string, string]> = [['$orderby', 'updatedDateTime desc']];

const available = prerequisites('the trigger in custom code', [missingMono()]);

let h: Harness;
afterEach(async () => h?.close());

describe.skipIf(!available)('a flow saved on 0.1.0, with the deleted internal $orderby in its definition', () => {
  it('is answered as a flow saved now: the stale $orderby never reaches Partner Center and changes nothing', async () => {
    h = await startHarness({ count: 0 });
    const conn = h.connect({ callLimit: false });
    const first = await conn.invoke(TRIGGER, {}, STORED_ON_0_1_0);
    expect(first.status).toBe(202);
    // The next polls go to the Location, which keeps the flow's own query: they send it too.
    const location = first.headers.location!;
    expect(new URL(location).searchParams.getAll('$orderby')).toEqual(['updatedDateTime desc']);

    h.clock.advance(1000);
    const created = h.emulator.store.insert(referralInput('Created after the update'));
    const next = await conn.follow(location);
    expect(next.status).toBe(200);
    expect((next.body as { value: Array<{ id: string }> }).value.map((r) => r.id)).toEqual([created.id]);

    // Partner Center saw the script's own order on every list call (newest first to fix the
    // start, then oldest first to read), one $orderby each, never the flow's.
    const orders = h.received.map((x) => new URL(x.request.url).searchParams.getAll('$orderby'));
    expect(orders).toEqual([['updatedDateTime desc'], ['updatedDateTime asc']]);
  });
});
