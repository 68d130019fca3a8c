export { ExpressionError, parsePath, parseTemplate, render } from './expressions.js';
export { FlowInputError, type FlowInputs } from './inputs.js';
export { DEFINITION_FILE, loadPackage, parsePackage, PROPERTIES_FILE, type ConnectorPackage, type Operation } from './package.js';
export { PackageError, type CompiledPolicy } from './policies.js';
export { Connection, ConnectorRuntime, FlowRunError, type ConnectionOptions, type FlowResponse, type PagingOptions, type RuntimeOptions } from './runtime.js';
export { compileScript, missingMono, ScriptCompileError, SCRIPT_FILE, type Diagnostic } from './custom-code/compile.js';
export { EXECUTION_LIMIT_MS } from './custom-code/host.js';
export { CONNECTION_LIMIT, ConnectionThrottle, type CallLimit } from './throttle.js';
export { PollingTrigger, type PollResult } from './trigger.js';
