/* tslint:disable */
/* eslint-disable */
export * from './ReferralsApi.js';
