export { type Credential } from './credentials.js';
export { ExpressionError, ExpressionEvaluationError, parsePath, parseTemplate, render, renderText } from './expressions.js';
export { FlowInputError, type FlowInputs } from './inputs.js';
export { DEFINITION_FILE, loadPackage, parsePackage, PROPERTIES_FILE, type ConnectorPackage, type Operation } from './package.js';
export { LOCAL_RUN, platformHeaders, type FlowRunContext } from './platform-headers.js';
export { PackageError, SEPARATE_LINES, type BackendResponse, type CompiledPolicy, type OutgoingRequest } from './policies.js';
export { Connection, ConnectorRuntime, FlowRunError, type ConnectionOptions, type FlowResponse, type PagingOptions } from './runtime.js';
export { CONNECTION_LIMIT, ConnectionThrottle, type CallLimit } from './throttle.js';
export { PollingTrigger, type PollResult } from './trigger.js';
