/**
 * Drives a polling trigger built with the pollingtrigger template, as the platform does
 * (README.md, "Polling trigger"): the first poll only sets the state; each later poll sends
 * the triggerConfig query evaluated against the state response, follows next links within
 * the poll, and fires for the items at triggerDataPath; a poll without items keeps the state.
 */
import { renderText, walk } from './expressions.js';
import type { TriggerConfig } from './policies.js';
import { FlowRunError, type Connection, type FlowResponse } from './runtime.js';
import type { FlowInputs } from './inputs.js';

export interface PollResult {
  /** 200 when runs start, 202 when nothing new (or the first poll). */
  status: 200 | 202;
  /** One entry per flow run: batch -> one run with the array; single -> one run per item. */
  runs: unknown[];
  items: unknown[];
  /** Backend calls this poll made (pages). */
  pages: number;
}

export class PollingTrigger {
  private readonly config: TriggerConfig;
  private readonly kind: 'batch' | 'single';
  /** The response the next poll's query is evaluated against; undefined until the first items. */
  private stateResponse: unknown;

  constructor(
    private readonly connection: Connection,
    private readonly operationId: string,
    private readonly inputs: FlowInputs = {},
  ) {
    const op = connection.operation(operationId);
    const policy = connection.pkg.triggers.get(operationId);
    if (!policy?.trigger) throw new FlowRunError(`'${operationId}' has no pollingtrigger policy; it cannot run as a polling trigger.`);
    this.config = policy.trigger;
    this.kind = op.trigger ?? 'single';
  }

  private items(body: unknown): unknown[] {
    const v = walk(body, this.config.dataPath.path);
    return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  }

  /** The query for the next poll; an expression that finds nothing sends an empty value (renderText). */
  private stateQuery(): Array<[string, string]> {
    if (this.stateResponse === undefined) return [];
    return this.config.query.map(([name, template]) => [name, renderText(template, { triggerBody: this.stateResponse })]);
  }

  async poll(): Promise<PollResult> {
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
      const next = (res.body as Record<string, unknown> | undefined)?.[this.config.nextLinkProperty];
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
