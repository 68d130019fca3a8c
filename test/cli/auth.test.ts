// The device-code branch of the command line's sign-in, with a fake @azure/identity: the
// client ID it needs, the default tenant, and the prompt sent where the caller says (stderr).
import type { TokenCredential } from '@azure/core-auth';
import { describe, expect, it } from 'vitest';
import { AuthError, authOptions } from '../../src/cli/auth.js';

/** A fake @azure/identity that records the options its credential was made with. */
function fakeIdentity() {
  const made: Record<string, unknown>[] = [];
  class DeviceCodeCredential implements TokenCredential {
    readonly options: Record<string, unknown>;
    constructor(options: object) {
      this.options = options as Record<string, unknown>;
      made.push(this.options);
    }
    async getToken() {
      (this.options.userPromptCallback as (info: { message: string }) => void)({ message: 'To sign in, open https://microsoft.com/devicelogin and enter ABC123.' });
      return { token: 'signed-in', expiresOnTimestamp: Date.now() + 3_600_000 };
    }
  }
  return { made, load: async () => ({ DeviceCodeCredential }) };
}

describe('authOptions', () => {
  it('uses a token given outright without loading @azure/identity', async () => {
    const load = () => Promise.reject(new Error('must not be loaded'));
    const auth = await authOptions({ token: 'abc', prompt: () => {}, load });
    expect(await auth.getToken!()).toBe('abc');
    expect(auth.credential).toBeUndefined();
  });

  it('without a token, signs in with a device code: default tenant organizations, prompt to the given sink', async () => {
    const { made, load } = fakeIdentity();
    const prompts: string[] = [];
    const auth = await authOptions({ clientId: 'app-id', prompt: (m) => prompts.push(m), load });
    expect(made).toEqual([{ tenantId: 'organizations', clientId: 'app-id', userPromptCallback: expect.any(Function) }]);
    expect(await auth.credential!.getToken('scope')).toMatchObject({ token: 'signed-in' });
    expect(prompts).toEqual(['To sign in, open https://microsoft.com/devicelogin and enter ABC123.']);

    await authOptions({ clientId: 'app-id', tenant: 'contoso.onmicrosoft.com', prompt: () => {}, load });
    expect(made[1]).toMatchObject({ tenantId: 'contoso.onmicrosoft.com' });
  });

  it('refuses a device-code sign-in without a client ID, naming --client-id and AZURE_CLIENT_ID', async () => {
    const { made, load } = fakeIdentity();
    const err = await authOptions({ prompt: () => {}, load }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toBe('Signing in to Partner Center needs the client ID of your Entra app registration: pass --client-id or set AZURE_CLIENT_ID.');
    expect(made).toEqual([]);
  });

  it('says how to go on when @azure/identity is not installed', async () => {
    const load = () => Promise.reject(Object.assign(new Error("Cannot find package '@azure/identity'"), { code: 'ERR_MODULE_NOT_FOUND' }));
    await expect(authOptions({ clientId: 'app-id', prompt: () => {}, load })).rejects.toThrow(/pass --token or set REFERRALS_TOKEN.*npm install @azure\/identity/);
  });
});
