/* tslint:disable */
/* eslint-disable */
export * from './DealRegistrationsApi.js';
export * from './ReferralsApi.js';
export * from './TriggersApi.js';
