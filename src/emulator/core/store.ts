/**
 * In-memory referrals keyed by id, in insertion order (the default list order). Reads through
 * the public helpers return copies, so tests cannot change stored state behind the emulator's
 * back; the emulator itself reads rows in place and replaces whole documents on commit.
 */
export type StoredReferral = Record<string, unknown> & { id: string; eTag: string };

export interface StoreHooks {
  /** Fills server-owned fields (id, eTag, timestamps) a fixture leaves out. */
  complete(referral: Record<string, unknown>): StoredReferral;
  /** A fresh eTag and updatedDateTime for a changed referral. */
  touch(referral: StoredReferral): StoredReferral;
}

export class ReferralStore {
  private readonly items = new Map<string, StoredReferral>();

  constructor(private readonly hooks: StoreHooks) {}

  /**
   * Adds (or overwrites, by id) a referral as given; id, eTag, createdDateTime and
   * updatedDateTime are filled in when missing. Returns a copy of what was stored.
   */
  insert(referral: Record<string, unknown>): StoredReferral {
    const stored = this.hooks.complete(structuredClone(referral));
    this.items.set(stored.id, stored);
    return structuredClone(stored);
  }

  get(id: string): StoredReferral | undefined {
    const r = this.items.get(id);
    return r && structuredClone(r);
  }

  list(): StoredReferral[] {
    return [...this.items.values()].map((r) => structuredClone(r));
  }

  /**
   * Changes a stored referral the way the service would behind the client's back (e.g. Microsoft
   * approving a registration): the change gets a new eTag and updatedDateTime.
   */
  update(id: string, change: (referral: StoredReferral) => void): StoredReferral {
    const current = this.items.get(id);
    if (!current) throw new Error(`No referral with id ${id}`);
    const next = structuredClone(current);
    change(next);
    next.id = id;
    const stored = this.hooks.touch(next);
    this.items.set(id, stored);
    return structuredClone(stored);
  }

  clear(): void {
    this.items.clear();
  }

  get size(): number {
    return this.items.size;
  }

  /** @internal The stored document itself (no copy): only the emulator's handlers use it. */
  peek(id: string): StoredReferral | undefined {
    return this.items.get(id);
  }

  /** @internal All stored documents in order (no copies). */
  rows(): StoredReferral[] {
    return [...this.items.values()];
  }

  /** @internal Replaces a document; the caller has checked preconditions synchronously. */
  commit(referral: StoredReferral): void {
    this.items.set(referral.id, referral);
  }
}
