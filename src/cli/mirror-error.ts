// What main.ts needs of the mirror without loading it (and better-sqlite3) up front.
import type { ChangeBatch, Referral, WatchState } from '../index.js';

/** A mirror file that cannot be used or written; the message says why and what was kept. */
export class MirrorError extends Error {}

/** A local edit waiting to be pushed: the referral as read (`doc`) and as wanted (`edited`). */
export interface Edit {
  id: string;
  doc: Referral;
  edited: Referral;
  /** The eTag of the version the edit started from: sent as If-Match. */
  editETag: string;
}

/** The SQLite mirror as sync and push use it (implemented in mirror.ts). */
export interface Mirror {
  checkpoint(): WatchState | undefined;
  apply(batch: ChangeBatch): number;
  edits(): Edit[];
  pushed(updated: Referral): void;
  conflict(id: string, reason: string): void;
  unchanged(id: string): void;
  count(): number;
  /** True while a mirror this run created holds nothing committed (a first sync that failed). */
  readonly empty: boolean;
  /** Closes and removes a mirror this run created; for a first sync that failed. */
  discard(): void;
  close(): void;
}
