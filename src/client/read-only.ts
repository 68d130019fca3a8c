// The readOnly members of the spec's Referral, as diffPatch patterns (`*` = any array item).
// Kept by hand because bundling the spec would cost kilobytes; test/client/read-only.test.ts
// fails as soon as this list and openapi/referrals.yaml disagree.
const READ_ONLY = new Set(
  (
    '@odata.context id organizationId organizationName mpnId lastModifiedVia lastRunId createdVia ' +
    'createdDateTime updatedDateTime expirationDateTime acceptedDateTime closedDateTime direction ' +
    'registrationStatus eTag customerProfile/isMatchingComplete details/incentiveLevel ' +
    'inviteContext/invitedMpnId inviteContext/invitedBy links trackingInfo/microsoftUSFedOpportunityId ' +
    'trackingInfo/microsoftUSFedLeadId trackingInfo/migratedPSCDealId trackingInfo/migratedPSCPartnerDealId registrations'
  ).split(' '),
);

/** True for a server-owned member of Referral, which updateReferral never sends. */
export const isReadOnlyReferralMember = (pattern: string): boolean => READ_ONLY.has(pattern);

/** The list itself, for the test that compares it with the spec. */
export const readOnlyReferralMembers = (): string[] => [...READ_ONLY];
