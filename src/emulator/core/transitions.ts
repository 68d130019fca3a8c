/**
 * Status rules of referrals and deal registrations (from the facts file):
 * - a referral is New (substatus Pending or Received), Active (Accepted) or Closed
 *   (Won, Lost, Declined or Expired);
 * - New may move to New, Active or Closed; Active to Active or Closed; Closed is terminal;
 * - a deal registration whose status is Passed, Failed or Closed is terminal: nothing under it
 *   may change any more. Approved is not terminal (a registration can still pass or fail).
 * Impossible combinations are 400s; moves the current state forbids are 409s, as the spec's
 * Conflict response describes ("a transition from a closed status").
 */
import { ApiError, badRequest } from './errors.js';

export const STATUS_SUBSTATUSES: Readonly<Record<string, readonly string[]>> = {
  New: ['Pending', 'Received'],
  Active: ['Accepted'],
  Closed: ['Won', 'Lost', 'Declined', 'Expired'],
};

const NEXT_STATUSES: Readonly<Record<string, readonly string[]>> = {
  New: ['New', 'Active', 'Closed'],
  Active: ['Active', 'Closed'],
  Closed: [],
};

export const TERMINAL_REGISTRATION_STATUSES: readonly string[] = ['Passed', 'Failed', 'Closed'];

export const isTerminalRegistration = (registration: unknown): boolean =>
  typeof registration === 'object' &&
  registration !== null &&
  TERMINAL_REGISTRATION_STATUSES.includes(String((registration as Record<string, unknown>).status));

interface StatusPair {
  [field: string]: unknown;
  status?: unknown;
  substatus?: unknown;
}

/** The combination must be one the service can hold. */
function checkCombination(next: StatusPair): void {
  const status = String(next.status);
  const allowed = STATUS_SUBSTATUSES[status];
  if (!allowed) {
    throw badRequest('InvalidStatus', `status '${status}' cannot be set; use one of ${Object.keys(STATUS_SUBSTATUSES).join(', ')}.`);
  }
  if (!allowed.includes(String(next.substatus))) {
    throw badRequest(
      'InvalidSubstatus',
      `substatus '${String(next.substatus)}' is not valid with status '${status}'; use one of ${allowed.join(', ')}.`,
    );
  }
}

/** Checks a status change of an existing referral; no change is always fine. */
export function checkStatusTransition(previous: StatusPair, next: StatusPair): void {
  if (previous.status === next.status && previous.substatus === next.substatus) return;
  checkCombination(next);
  const from = String(previous.status);
  const targets = NEXT_STATUSES[from];
  if (targets === undefined) return; // None/Error or other service-only states: no rule known
  if (from === 'Closed') {
    throw new ApiError(409, 'InvalidStatusTransition', `The referral is Closed (${String(previous.substatus)}); a closed referral cannot change status or substatus.`);
  }
  if (!targets.includes(String(next.status))) {
    throw new ApiError(409, 'InvalidStatusTransition', `A referral cannot move from ${from} to ${String(next.status)}; from ${from} it can move to ${targets.join(', ')}.`);
  }
}

/** Status and substatus a new referral may be created with (New/Pending when absent). */
export function initialStatus(body: StatusPair): { status: string; substatus: string } {
  const status = body.status ?? 'New';
  const substatus = body.substatus ?? (status === 'New' ? 'Pending' : undefined);
  if (status !== 'New') {
    throw badRequest('InvalidStatus', `A referral is created with status New, not '${String(status)}'.`);
  }
  checkCombination({ status, substatus });
  return { status: 'New', substatus: String(substatus) };
}

/** Timestamp fields that record when a referral entered a status. */
export function statusTimestamps(previous: StatusPair, next: StatusPair, now: string): Record<string, string> {
  if (previous.status === next.status) return {};
  if (next.status === 'Active') return { acceptedDateTime: now };
  if (next.status === 'Closed') return { closedDateTime: now };
  return {};
}

/** The statusHistory field recording when a registration entered a status. */
export const REGISTRATION_HISTORY_FIELD: Readonly<Record<string, string>> = {
  ReviewPending: 'reviewPendingDateTime',
  ActionRequired: 'actionRequiredDateTime',
  Approved: 'approvedDateTime',
  Passed: 'passedDateTime',
  Failed: 'failedDateTime',
};
