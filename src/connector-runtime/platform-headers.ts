/**
 * Headers the platform puts on every backend request before the connector's policies run, so a
 * setheader `append` has something to append to (corpus: HYAS Insight appends "Microsoft
 * Sentinel" to User-Agent) and a `skip` something to keep.
 *
 * Source: a recorded request of the Logic Apps engine, which runs Power Automate flows
 * (JanneMattila/azure-monitoring-examples, func.http: `User-Agent: azure-logic-apps/1.0 (workflow
 * <id>; version <version>)`, `x-ms-workflow-id`, `x-ms-workflow-version`, `x-ms-workflow-name`,
 * `x-ms-workflow-run-id`, `x-ms-workflow-operation-name`, `x-ms-execution-location`,
 * `x-ms-tracking-id`, `x-ms-correlation-id`, `x-ms-client-request-id`, `x-ms-client-tracking-id`).
 * **Assumption**: that recording is of the built-in HTTP action; that the connector gateway
 * passes the engine's headers on to the backend (Azure API Management forwards request headers
 * unless a policy removes them) is ours. The values are the connection's run context.
 */
export interface FlowRunContext {
  workflowId: string;
  workflowName: string;
  workflowVersion: string;
  runId: string;
  location: string;
}

export const LOCAL_RUN: FlowRunContext = {
  workflowId: 'local-workflow',
  workflowName: 'local-flow',
  workflowVersion: '1',
  runId: 'local-run',
  location: 'local',
};

/** The platform's headers for one action call (`requestId` is new per call; lower-case names). */
export function platformHeaders(run: FlowRunContext, operationId: string, requestId: string): Record<string, string> {
  return {
    'user-agent': `azure-logic-apps/1.0 (workflow ${run.workflowId}; version ${run.workflowVersion})`,
    'x-ms-workflow-id': run.workflowId,
    'x-ms-workflow-version': run.workflowVersion,
    'x-ms-workflow-name': run.workflowName,
    'x-ms-workflow-run-id': run.runId,
    'x-ms-workflow-operation-name': operationId,
    'x-ms-execution-location': run.location,
    'x-ms-tracking-id': requestId,
    'x-ms-correlation-id': requestId,
    'x-ms-client-request-id': requestId,
    'x-ms-client-tracking-id': run.runId,
  };
}
