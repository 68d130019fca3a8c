/**
 * How the command line authenticates: a bearer token given outright (the emulator accepts any),
 * or for Partner Center a device-code sign-in through @azure/identity, an optional peer
 * dependency that is loaded only when needed.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { ReferralsClientOptions } from '../index.js';

export class AuthError extends Error {}

export interface AuthInput {
  token?: string | undefined;
  tenant?: string | undefined;
  clientId?: string | undefined;
  /** Where the device-code prompt goes (stderr). */
  prompt: (message: string) => void;
  /** Loads @azure/identity; replaced in tests. */
  load?: () => Promise<{ DeviceCodeCredential: new (options: object) => TokenCredential }>;
}

// A computed specifier: bundlers and test transforms must not try to resolve an optional peer.
const IDENTITY = '@azure/identity';
const loadIdentity = () => import(IDENTITY) as Promise<{ DeviceCodeCredential: new (options: object) => TokenCredential }>;

export async function authOptions(input: AuthInput): Promise<Pick<ReferralsClientOptions, 'getToken' | 'credential'>> {
  if (input.token) {
    const token = input.token;
    return { getToken: () => token };
  }
  let identity: Awaited<ReturnType<typeof loadIdentity>>;
  try {
    identity = await (input.load ?? loadIdentity)();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new AuthError(
      'No token: pass --token or set REFERRALS_TOKEN (any value works with the emulator). To sign in to Partner Center with a device code instead, install the optional peer dependency @azure/identity (npm install @azure/identity) and pass --client-id.',
    );
  }
  if (!input.clientId) throw new AuthError('Signing in to Partner Center needs the client ID of your Entra app registration: pass --client-id or set AZURE_CLIENT_ID.');
  const credential = new identity.DeviceCodeCredential({
    tenantId: input.tenant ?? 'organizations',
    clientId: input.clientId,
    userPromptCallback: (info: { message: string }) => input.prompt(info.message),
  });
  return { credential };
}
