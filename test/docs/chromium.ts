// Debian's Chromium driven by playwright-core, shared by the browser tests (test/docs and
// test/client): one executable path, one set of flags that keep the browser on this machine.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_MISSING = `${CHROMIUM} is missing (Debian package chromium: sudo apt-get install -y chromium)`;

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Belt and braces: even a request a test's routing missed could not resolve a host name.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });

/** Loopback and in-page schemes only: anything else would leave the machine. */
export function staysOnMachine(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (['file:', 'data:', 'blob:', 'about:'].includes(url.protocol)) return true;
  return ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}
