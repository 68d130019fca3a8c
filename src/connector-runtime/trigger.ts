/**
 * Drives a polling trigger as the platform's engine does. Two kinds:
 *  - a trigger built with the pollingtrigger template (README.md, "Polling trigger"): the first
 *    poll only sets the state; each later poll sends the triggerConfig query evaluated against
 *    the state response, follows next links within the poll, and fires for the items at
 *    triggerDataPath; a poll without items keeps the state;
 *  - any other trigger follows the polling protocol its answers carry (Learn, "Create custom APIs
 *    you can call from Azure Logic Apps", polling trigger pattern): 202 starts no run, 200 starts
 *    runs; the next poll goes to the answer's Location, after its Retry-After (0: at once). The
 *    state is the Location URL, which the engine keeps (here: `location`, to hand to a new
 *    PollingTrigger after a restart); the connector keeps nothing between polls.
 */
import { renderText, walk } from './expressions.js';
import type { TriggerConfig } from './policies.js';
import { FlowRunError, type Connection, type FlowResponse } from './runtime.js';
import type { FlowInputs } from './inputs.js';

export interface PollResult {
  /** 200 when runs start, 202 when nothing new (or the first poll). */
  status: 200 | 202;
  /** One entry per flow run. */
  runs: unknown[];
  items: unknown[];
  /** Backend calls this poll made (pages). */
  pages: number;
  /** Location protocol: where the next poll goes, and when (seconds; undefined: the recurrence). */
  location?: string;
  retryAfterSeconds?: number;
}

export interface PollingTriggerOptions {
  /**
   * Location protocol: the Location of the last answer, kept by the engine (a restarted runtime
   * resumes from it).
   */
  location?: string;
  /**
   * Split a batch trigger's array into one run per item (default true). Logic Apps, "Schema
   * reference for trigger and action types", "Trigger multiple runs": "If your trigger's Swagger
   * file describes a payload that is an array, the SplitOn property is automatically added".
   * Assumption: Power Automate does the same for a batch trigger whose 200 schema is an object
   * with a `value` array (its own batch triggers carry `splitOn: @triggerOutputs()?['body/value']`).
   */
  splitOn?: boolean;
}

/** Polls of one recurrence at most: a protocol that never says "come back later" fails by name. */
const MAX_POLLS_PER_RECURRENCE = 10_000;

export class PollingTrigger {
  private readonly config?: TriggerConfig;
  private readonly kind: 'batch' | 'single';
  /** Template mode: the response the next poll's query is evaluated against. */
  private stateResponse: unknown;
  private next?: string;

  constructor(
    private readonly connection: Connection,
    private readonly operationId: string,
    private readonly inputs: FlowInputs = {},
    private readonly options: PollingTriggerOptions = {},
  ) {
    const op = connection.operation(operationId);
    this.config = connection.pkg.triggers.get(operationId)?.trigger;
    if (!this.config && !op.trigger) throw new FlowRunError(`'${operationId}' has neither x-ms-trigger nor a pollingtrigger policy; it cannot run as a polling trigger.`);
    this.kind = op.trigger ?? 'single';
    this.next = options.location;
  }

  /** Location protocol: the URL the next poll calls; undefined before the first answer. */
  get location(): string | undefined {
    return this.next;
  }

  private items(body: unknown): unknown[] {
    const v = walk(body, this.config!.dataPath.path);
    return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  }

  /** The query for the next poll; an expression that finds nothing sends an empty value (renderText). */
  private stateQuery(): Array<[string, string]> {
    if (this.stateResponse === undefined) return [];
    return this.config!.query.map(([name, template]) => [name, renderText(template, { triggerBody: this.stateResponse })]);
  }

  /** One call of the engine to the trigger. */
  async poll(): Promise<PollResult> {
    return this.config ? this.pollTemplate() : this.pollLocation();
  }

  /**
   * One recurrence: polls again at once while an answer says Retry-After: 0, as the engine does,
   * and stops at the first that asks for a later poll (the caller waits that long). Runs of every
   * 200 are collected.
   */
  async recurrence(): Promise<PollResult & { polls: number }> {
    const all: PollResult = { status: 202, runs: [], items: [], pages: 0 };
    for (let polls = 1; polls <= MAX_POLLS_PER_RECURRENCE; polls++) {
      const r = await this.poll();
      all.runs.push(...r.runs);
      all.items.push(...r.items);
      all.pages += r.pages;
      if (r.status === 200) all.status = 200;
      all.location = r.location;
      all.retryAfterSeconds = r.retryAfterSeconds;
      if (this.config || r.retryAfterSeconds !== 0) return { ...all, polls };
    }
    throw new FlowRunError(`The trigger '${this.operationId}' answered Retry-After: 0 ${MAX_POLLS_PER_RECURRENCE} times in a row; the engine would poll it forever.`);
  }

  private async pollLocation(): Promise<PollResult> {
    const res: FlowResponse = this.next ? await this.connection.follow(this.next) : await this.connection.invoke(this.operationId, this.inputs);
    if (res.status !== 200 && res.status !== 202) {
      // Assumption: a failed poll leaves the engine's Location as it was; the next recurrence retries it.
      throw new FlowRunError(`The trigger's poll failed with ${res.status}: ${JSON.stringify(res.body)}`);
    }
    const location = res.headers.location;
    if (location) this.next = location;
    const retry = res.headers['retry-after'];
    const retryAfterSeconds = retry !== undefined && /^\d+$/.test(retry.trim()) ? Number(retry) : undefined;
    if (res.status === 202) return { status: 202, runs: [], items: [], pages: 1, location: this.next, retryAfterSeconds };
    const items = this.payloadItems(res.body);
    const split = this.kind === 'batch' && this.options.splitOn !== false;
    const runs = this.kind === 'single' ? [res.body] : split ? items : [res.body];
    return { status: 200, runs, items, pages: 1, location: this.next, retryAfterSeconds };
  }

  /** A batch payload: the body itself when it is an array, else its `value` array. */
  private payloadItems(body: unknown): unknown[] {
    if (Array.isArray(body)) return body;
    const value = (body as Record<string, unknown> | undefined)?.value;
    if (this.kind === 'single') return body === undefined ? [] : [body];
    if (!Array.isArray(value)) throw new FlowRunError(`The batch trigger '${this.operationId}' answered 200 without an array to split (neither the body nor its 'value' is one).`);
    return value;
  }

  private async pollTemplate(): Promise<PollResult> {
    const config = this.config!;
    const first = this.stateResponse === undefined;
    let res: FlowResponse = await this.connection.invoke(this.operationId, this.inputs, this.stateQuery());
    if (res.status >= 400) throw new FlowRunError(`The trigger's poll failed with ${res.status}: ${JSON.stringify(res.body)}`);
    const firstPage = res.body;
    const firstItems = this.items(firstPage);
    const items = [...firstItems];
    let pages = 1;
    // Next links are followed within the poll only for the polls that fire.
    for (;;) {
      if (first) break;
      const next = (res.body as Record<string, unknown> | undefined)?.[config.nextLinkProperty];
      if (typeof next !== 'string' || !next) break;
      res = await this.connection.follow(next);
      pages++;
      if (res.status >= 400) throw new FlowRunError(`The trigger's poll failed with ${res.status} on a next link: ${JSON.stringify(res.body)}`);
      items.push(...this.items(res.body));
    }
    // Assumption (README.md): the state comes from the poll's first response with items.
    if (firstItems.length) this.stateResponse = firstPage;
    if (first || items.length === 0) return { status: 202, runs: [], items: [], pages };
    return { status: 200, runs: this.kind === 'batch' ? [items] : items, items, pages };
  }
}
