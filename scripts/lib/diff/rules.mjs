// The change classes the connector diff reports: one entry per rule, as oasdiff does (id, level,
// fixture pair in test/diff/fixtures/<id>.yaml, a row in scripts/lib/diff/README.md).
//
// `title` is the class as the certification pipeline's change validation words it where its
// message is known from microsoft/PowerPlatformConnectors pull-request threads (`seen` lists
// them); the other titles are ours, in the same style. `level`:
//   error   breaks existing flows or clients for certain (a flow that uses the thing fails);
//   warning breaks some of them, depending on the values they send or read;
//   info    not breaking: printed in the changelog.
// error and warning are both "breaking": the gate fails on them until they are acknowledged.

/** @typedef {'error' | 'warning' | 'info'} Level */
/** @typedef {'Added' | 'Changed' | 'Deprecated' | 'Removed'} Section */
/** @typedef {{ id: string, level: Level, title: string, consequence: string, fix: string, section: Section, seen: number[], about: string }} Rule */

const DEPRECATE =
  'keep it and deprecate it instead: `deprecated: true`, "(deprecated)" at the end of its summary and description, and, when another operation replaces it, the same `x-ms-api-annotation.family` on both with a higher `revision` on the new one; delete it only after at least 30 days\' notice';
// A default does not help: the designer writes it only into the flows it saves from now on.
const OPTIONAL =
  'make it optional, and have the service (or the custom code) act as before when it is missing; a `default`, even with `x-ms-visibility: internal`, reaches only flows saved after the update (the certification check: "Existing flows will not send this new field")';
const REVISION = 'add a new operation (same `x-ms-api-annotation.family`, higher `revision`) with the change and deprecate the old one';

/** @type {Rule[]} */
export const RULES = [
  // Operations.
  {
    id: 'operation-deleted', level: 'error', section: 'Removed', seen: [3470, 4043, 4168],
    title: 'The operation has been deleted',
    consequence: 'Flows that use it stop working.',
    fix: `The operation is gone from the new definition: ${DEPRECATE}.`,
    about: 'an operationId of the old definition is missing from the new one (and no operation on the same method and path took its place)',
  },
  {
    id: 'operation-renamed', level: 'error', section: 'Removed', seen: [],
    title: 'The operation ID has been changed',
    consequence: 'Flows call operations by operationId, so flows that use the old one stop working (the certification check reports it as a deleted operation).',
    fix: `Restore the old operationId. To change the operation, ${REVISION}.`,
    about: 'an operationId disappeared and a new operationId sits on the same method and path',
  },
  {
    id: 'operation-hidden', level: 'error', section: 'Changed', seen: [4215, 720],
    title: 'The operation has been hidden',
    consequence: 'The designer no longer shows it in existing flows.',
    fix: `Keep \`x-ms-visibility\` as it was; to retire the operation, ${DEPRECATE}.`,
    about: 'an operation\'s `x-ms-visibility` became `internal`',
  },
  {
    id: 'path-template-changed', level: 'error', section: 'Changed', seen: [3648],
    title: 'The path template has been changed',
    consequence: 'Existing flows and clients call the old path.',
    fix: `Keep the path; if the service moved, route the operation to the new path with a \`routerequesttoendpoint\` policy in apiProperties.json, or ${REVISION}.`,
    about: 'an operation (same operationId) moved to another path template',
  },
  {
    id: 'method-changed', level: 'error', section: 'Changed', seen: [],
    title: 'The HTTP method has been changed',
    consequence: 'Existing clients send the old method.',
    fix: `Keep the method; route it with a \`routerequesttoendpoint\` policy (\`httpMethod\`), or ${REVISION}.`,
    about: 'an operation (same operationId) moved to another HTTP method',
  },
  {
    id: 'trigger-changed', level: 'error', section: 'Changed', seen: [],
    title: 'The trigger has been changed',
    consequence: 'An action became a trigger or the reverse, or a polling trigger became a webhook trigger or the reverse: flows built on it no longer load.',
    fix: 'Keep the operation\'s role; add a new operation for the new role and deprecate the old one.',
    about: 'the operation\'s role changed between action, polling trigger (`x-ms-trigger`) and webhook trigger (`x-ms-notification-content` or an `x-ms-notification-url` parameter)',
  },
  {
    id: 'trigger-kind-changed', level: 'error', section: 'Changed', seen: [],
    title: 'The trigger kind has been changed',
    consequence: 'A batch trigger hands flows an array (split on), a single trigger one item: flows built for one kind break on the other.',
    fix: 'Keep `x-ms-trigger` as it was; add a trigger of the other kind as a new operation and deprecate the old one.',
    about: '`x-ms-trigger` changed between `batch` and `single`',
  },
  // Inputs: parameters and the properties of body parameters (flattened into inputs by the designer).
  {
    id: 'required-input-added', level: 'error', section: 'Added', seen: [3656, 1890],
    title: 'The required input field has been added',
    consequence: 'Existing flows do not send it.',
    fix: `A new input must not be required of existing flows: ${OPTIONAL}.`,
    about: 'a new required parameter, or a new required property inside a body that existed before (with a default too, internal or not: flows saved before do not send it)',
  },
  {
    id: 'input-made-required', level: 'error', section: 'Changed', seen: [2433],
    title: 'The input field has been made required',
    consequence: 'Existing flows that leave it empty no longer validate.',
    fix: `Keep it optional, and have the service (or the custom code) act as before when it is missing; ${OPTIONAL.slice(OPTIONAL.indexOf('a `default`'))}.`,
    about: 'an optional parameter or body property became required',
  },
  {
    id: 'input-deleted', level: 'error', section: 'Removed', seen: [],
    title: 'The input field has been deleted',
    consequence: 'Existing flows still set it, and the value no longer reaches the service as it did.',
    fix: `Keep the input (it may be ignored by the service, or become \`x-ms-visibility: internal\` with a default); to drop it, ${REVISION}.`,
    about: 'a parameter or body property is gone (or a body property became `readOnly`, or the body parameter was renamed)',
  },
  {
    id: 'parameter-location-changed', level: 'error', section: 'Changed', seen: [3648],
    title: 'The location has been changed for the parameter',
    consequence: 'Existing flows keep sending it in the old location.',
    fix: 'Keep the parameter where it was; to accept the new location too, add a second, optional parameter there.',
    about: 'a parameter of the same name moved between `query`, `header`, `path` and `formData`',
  },
  {
    id: 'input-type-changed', level: 'error', section: 'Changed', seen: [],
    title: 'The type has been changed for the input field',
    consequence: 'Values existing flows send no longer validate.',
    fix: `Keep the type; accept the new one through a new, optional input, or ${REVISION}.`,
    about: 'an input\'s `type` changed (integer to number, a widening, is not reported)',
  },
  {
    id: 'input-format-changed', level: 'warning', section: 'Changed', seen: [],
    title: 'The type format has been changed for the input field',
    consequence: 'Values existing flows send may not match the new format.',
    fix: 'Keep the old format, or confirm that every value existing flows can send is valid in the new one and acknowledge.',
    about: 'an input\'s `format` was added or changed to one that constrains values (not reported: a format removed, int32 to int64, float to double, and formats such as `password` or `html` that only change the designer\'s field)',
  },
  {
    id: 'input-enum-value-removed', level: 'error', section: 'Changed', seen: [3287, 3762, 616],
    title: 'An enum value has been removed from the input field',
    consequence: 'Existing flows that chose it keep sending it.',
    fix: 'Keep the value in `enum` (the service can map it to its replacement), or confirm that the API already refused it and acknowledge.',
    about: 'values of an input\'s `enum` are gone',
  },
  {
    id: 'input-enum-added', level: 'warning', section: 'Changed', seen: [619, 1315],
    title: 'The list of enum values has been added to the input field',
    consequence: 'Existing flows may send values outside the list.',
    fix: 'List the values in the description instead, or confirm that the API refuses every value outside the list and acknowledge.',
    about: 'an input that took any value now has an `enum`',
  },
  {
    id: 'input-hidden', level: 'warning', section: 'Changed', seen: [],
    title: 'The input field has been hidden',
    consequence: 'Its `x-ms-visibility` is now `internal`: the designer no longer shows it, and flows that set it cannot change it any more.',
    fix: 'Keep it visible (`important`, `advanced` or no `x-ms-visibility`); an internal input needs a default that suits every existing flow.',
    about: 'an input\'s `x-ms-visibility` became `internal`',
  },
  {
    id: 'input-constraint-tightened', level: 'warning', section: 'Changed', seen: [],
    title: 'The constraint has been tightened for the input field',
    consequence: 'Values existing flows send may fall outside it.',
    fix: 'Keep the old limit, or confirm that the API already refused the values outside the new one and acknowledge.',
    about: '`maxLength`, `maxItems`, `maximum` added or lowered; `minLength`, `minItems`, `minimum` added or raised; `pattern` or `multipleOf` added or changed; `exclusiveMinimum`, `exclusiveMaximum` or `uniqueItems` set',
  },
  // Outputs: response bodies, headers and webhook notification content.
  {
    id: 'output-field-deleted', level: 'error', section: 'Removed', seen: [3656],
    title: 'The output field has been deleted',
    consequence: 'Flows and clients that read it break.',
    fix: `Keep returning the field (say in its description that it is deprecated); to drop it, ${REVISION}.`,
    about: 'a property or header of a success response (or of `x-ms-notification-content`) is gone, or the response lost its schema',
  },
  {
    id: 'output-type-changed', level: 'error', section: 'Changed', seen: [3910, 4168],
    title: 'The type has been changed for the output field',
    consequence: 'Flows and typed clients that read it break.',
    fix: 'Keep the type and return the value with the new type in a new field.',
    about: 'a success output\'s `type` changed (number to integer, a narrowing, is not reported)',
  },
  {
    id: 'output-format-changed', level: 'warning', section: 'Changed', seen: [807, 3863],
    title: 'The type format has been changed for the output field',
    consequence: 'Flows that read it may break if the values change.',
    fix: 'Keep the old format, or confirm that the values returned were already in the new format and acknowledge.',
    about: 'a success output\'s `format` was added, removed or changed',
  },
  {
    id: 'output-enum-removed', level: 'warning', section: 'Changed', seen: [1381],
    title: 'The list of enum values has been removed from the output field',
    consequence: 'Flows and typed clients that relied on the listed values may get others.',
    fix: 'Keep the `enum`, or acknowledge that the field now carries other values.',
    about: 'a success output lost its `enum`',
  },
  {
    id: 'output-made-optional', level: 'warning', section: 'Changed', seen: [],
    title: 'The output field is no longer required',
    consequence: 'Typed clients (generated/) must now handle its absence; flows that read it may get null.',
    fix: 'Keep it in `required`, or acknowledge.',
    about: 'a success output left its object\'s `required` list',
  },
  {
    id: 'response-code-removed', level: 'error', section: 'Removed', seen: [],
    title: 'The success response has been deleted',
    consequence: 'Flows read their outputs from it.',
    fix: 'Keep the response (code and schema); a new success code needs a new operation revision.',
    about: 'a 2xx or `default` response is gone and no new success code took its place',
  },
  // Connections (securityDefinitions, apiProperties.json connectionParameters).
  {
    id: 'connection-parameters-changed', level: 'error', section: 'Changed', seen: [],
    title: 'The connection parameters have been changed',
    consequence: 'Existing connections no longer match: every user must create a new connection and repair the flows that use it.',
    fix: 'Keep the connection parameters; if the change is unavoidable, acknowledge it and tell users to recreate their connections.',
    about: 'a connection parameter or security definition removed, added as required, or changed in type, header or query name, OAuth flow, token URL, identity provider, client ID, login URI or tenant, or made required (a changed authorization URL is not reported: only new sign-ins use it)',
  },
  {
    id: 'oauth-scope-changed', level: 'error', section: 'Changed', seen: [],
    title: 'The OAuth scope has been changed',
    consequence: 'Existing connections hold tokens consented for the old scope or resource: users must sign in again.',
    fix: 'Keep the scopes and resource; if the change is unavoidable, acknowledge it and tell users to re-authenticate their connections.',
    about: 'scopes added or replaced in `oAuthSettings.scopes` or a `securityDefinitions` oauth2 entry, or the AAD resource (`resourceUri`, `AzureActiveDirectoryResourceId`) changed',
  },
  // Policies (apiProperties.json policyTemplateInstances, scriptOperations).
  {
    id: 'policy-removed', level: 'error', section: 'Removed', seen: [],
    title: 'The policy has been removed from the operation',
    consequence: 'The routing, paging, polling or header handling the operation relied on is gone.',
    fix: 'Keep the policy for the operation (`x-ms-apimTemplate-operationName`).',
    about: 'an operation lost a policy template instance (routerequesttoendpoint, updatenextlink, pollingtrigger, setheader, ...) and custom code does not take it over',
  },
  {
    id: 'policy-moved-to-code', level: 'warning', section: 'Changed', seen: [],
    title: 'The policy has been replaced by custom code',
    consequence: 'The operation lost a policy, and its custom code (script.csx, `scriptOperations`) now runs instead; flows break unless the code does what the policy did.',
    fix: 'Confirm (with a test) that the custom code does what the policy did for this operation (routing, next links, trigger state) and acknowledge.',
    about: 'as policy-removed, for an operation listed in the new `scriptOperations`',
  },
  {
    id: 'policy-changed', level: 'warning', section: 'Changed', seen: [],
    title: 'The policy has been changed for the operation',
    consequence: 'Existing flows may see other routing, paging or trigger state.',
    fix: 'Confirm that the operation behaves the same for existing flows and acknowledge.',
    about: 'the parameters of an operation\'s policy template instances changed (new path, method, trigger configuration, next-link property, ...)',
  },
  // Not breaking: the changelog.
  {
    id: 'operation-added', level: 'info', section: 'Added', seen: [],
    title: 'The operation has been added', consequence: '', fix: '', about: 'a new operationId',
  },
  {
    id: 'operation-deprecated', level: 'info', section: 'Deprecated', seen: [],
    title: 'The operation has been deprecated', consequence: 'Existing flows keep working; the designer hides it from new ones.', fix: '',
    about: 'an operation got `deprecated: true` (the documented way to retire it)',
  },
  {
    id: 'input-added', level: 'info', section: 'Added', seen: [],
    title: 'The optional input field has been added', consequence: '', fix: '',
    about: 'a new optional parameter or body property',
  },
  {
    id: 'input-made-optional', level: 'info', section: 'Changed', seen: [],
    title: 'The input field has been made optional', consequence: '', fix: '', about: 'a required input became optional',
  },
  {
    id: 'input-enum-value-added', level: 'info', section: 'Changed', seen: [],
    title: 'An enum value has been added to the input field', consequence: '', fix: '', about: 'new values in an input\'s `enum`',
  },
  {
    id: 'output-field-added', level: 'info', section: 'Added', seen: [],
    title: 'The output field has been added', consequence: '', fix: '', about: 'a new property or header in a success response',
  },
  {
    id: 'output-enum-value-added', level: 'info', section: 'Changed', seen: [],
    title: 'An enum value has been added to the output field', consequence: 'Typed clients that switch over every value see a new one.', fix: '',
    about: 'new values in a success output\'s `enum`',
  },
  {
    id: 'success-code-changed', level: 'info', section: 'Changed', seen: [],
    title: 'The success response code has been changed', consequence: 'Flows read the body, not the code; the outputs are compared across.', fix: '',
    about: 'a success code replaced by another (`default` to 200, 200 to 201)',
  },
  {
    id: 'error-response-removed', level: 'info', section: 'Removed', seen: [],
    title: 'The error response has been deleted', consequence: 'Flows do not bind to error responses; typed clients lose its type.', fix: '',
    about: 'a response that is no success response is gone (beside a 2xx, `default` describes errors)',
  },
  {
    id: 'response-code-added', level: 'info', section: 'Added', seen: [], title: 'The response has been added', consequence: '', fix: '', about: 'a new response code',
  },
  {
    id: 'connection-parameter-added', level: 'info', section: 'Added', seen: [],
    title: 'The optional connection parameter has been added', consequence: '', fix: '', about: 'a new connection parameter that is not required',
  },
  {
    id: 'policy-added', level: 'info', section: 'Changed', seen: [], title: 'The policy has been added to the operation', consequence: '', fix: '',
    about: 'an operation got a policy template instance',
  },
  {
    id: 'custom-code-changed', level: 'info', section: 'Changed', seen: [],
    title: 'The custom code has been turned on or off for the operation', consequence: '', fix: '',
    about: 'the operation entered or left `scriptOperations`',
  },
];

export const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** @param {Level} level */
export const isBreaking = (level) => level !== 'info';
