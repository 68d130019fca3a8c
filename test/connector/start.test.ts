/**
 * `npm start` also serves the built connector under /connector: the README's "Try the connector
 * locally" steps, run as written (with fetch instead of curl) against the real CLI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { referralInput, registration } from './harness.js';

const root = join(import.meta.dirname, '../..');
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
});

function start(): Promise<string> {
  child = spawn(join(root, 'node_modules/.bin/tsx'), ['src/emulator/cli.ts', '--port', '0', '--count', '150'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Connector: (http:\/\/\S+)\/referrals/.exec(out);
      if (m && out.includes('Press Ctrl-C')) resolve(m[1]!);
      if (out.includes('Connector: not served')) reject(new Error(`npm start did not mount the connector (run npm run build first):\n${out}`));
    });
    child!.on('exit', () => reject(new Error(`npm start exited:\n${out}`)));
  });
}

it('pages GetAllReferrals and routes the deal-registration action through /connector, no token needed', async () => {
  const connector = await start();

  // Page through: every next link stays on /connector (the updatenextlink policy at work).
  let next: string | undefined = `${connector}/referrals?$top=100`;
  const ids = new Set<string>();
  let pages = 0;
  while (next) {
    const res = await fetch(next);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { value: Array<{ id: string }>; '@odata.nextLink'?: string };
    for (const r of page.value) ids.add(r.id);
    next = page['@odata.nextLink'];
    if (next) expect(next.startsWith(`${connector}/referrals?`)).toBe(true);
    pages++;
  }
  expect(ids.size).toBe(150);
  expect(pages).toBe(2);

  // Create a referral, then the deal-registration action as the designer declares it
  // (POST .../registrations), which the routing policy turns into PATCH /referrals/{id}.
  const created = await fetch(`${connector}/referrals`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(referralInput('Local try')) });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const reg = await fetch(`${connector}/referrals/${id}/registrations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ value: registration }]) });
  expect(reg.status, await reg.clone().text()).toBe(204);
  const after = (await (await fetch(`${connector}/referrals/${id}`)).json()) as { registrations: Array<{ contract: { value: number } }> };
  expect(after.registrations[0]!.contract.value).toBe(registration.contract.value);

  // Bad input is refused by the connector, naming the input.
  const bad = await fetch(`${connector}/referrals?$top=ten`);
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain("input '$top' must be an integer, got string");
});
