// The Redoc reference (dist/docs/index.html) opened in a real browser, offline: from disk and
// from the emulator's /docs. Checks what a reader needs (every operation findable and shown,
// search working) and that the page never reaches past this machine.
//
// Debian's Chromium at /usr/bin/chromium, driven by playwright-core; no downloaded browser.
// In CI a missing browser or an unbuilt page fails; locally both skip with a message saying
// what to run (../prerequisites.ts).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferralsEmulator } from '../../src/emulator/core/index.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/http.js';
import { prerequisites } from '../prerequisites.js';
import { CHROMIUM, CHROMIUM_MISSING, launchChromium, staysOnMachine } from './chromium.js';
import { deref, requestBodyExamples } from './example-check.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS_FILE = join(ROOT, 'dist/docs/index.html');
const SPEC_FILE = join(ROOT, 'generated/referrals.swagger.json');
const SCREENSHOT = join(ROOT, 'dist/docs/screenshot.png');
const SEARCH_SCREENSHOT = join(ROOT, 'dist/docs/screenshot-search.png');
const SEARCH_TERM = 'deal registration';

const ready = prerequisites('the docs browser test', [
  !existsSync(CHROMIUM) && CHROMIUM_MISSING,
  !existsSync(DOCS_FILE) && `${DOCS_FILE} is missing (build it: npm run build)`,
  !existsSync(SPEC_FILE) && `${SPEC_FILE} is missing (run npm run generate)`,
]);

type Json = any; // the spec, as parsed JSON

interface Operation {
  operationId: string;
  summary: string;
  tag: string | undefined;
  /** What Redoc shows as the request payload, if the operation has a body. */
  requestExample: Json;
  /** Redoc's first response tab: the lowest 2xx code, with its example and schema. */
  success: { code: string; example: Json; schema: Json } | undefined;
  /** Status codes of the declared responses. */
  codes: string[];
  /** Names of the operation's parameters (header names included). */
  parameters: string[];
}

function specOperations(spec: Json): Operation[] {
  const param = (p: Json): Json => (typeof p.$ref === 'string' ? spec.parameters[p.$ref.replace('#/parameters/', '')] : p);
  const requests = new Map(requestBodyExamples(spec).map((e) => [e.operation.replace(/^.*\((.*)\)$/, '$1'), e.value]));
  return Object.entries(spec.paths as Record<string, Json>).flatMap(([, item]) =>
    ['get', 'put', 'post', 'delete', 'patch']
      .filter((m) => item[m])
      .map((m) => {
        const op = item[m];
        const codes = Object.keys(op.responses);
        const code = codes.filter((c) => /^2\d\d$/.test(c) && op.responses[c].schema).sort()[0];
        const response = code === undefined ? undefined : op.responses[code];
        return {
          operationId: op.operationId,
          summary: op.summary ?? op.operationId,
          tag: op.tags?.[0],
          requestExample: requests.get(op.operationId),
          success: code === undefined ? undefined : { code, example: response.examples?.['application/json'] ?? deref(spec, response.schema)?.example, schema: response.schema },
          codes,
          parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => String(param(p).name)),
        };
      }),
  );
}

/** A string of the example near its top (so Redoc shows it unfolded), distinctive enough to search for. */
function shallowString(example: Json): string | undefined {
  let level: Json[] = [example];
  for (let depth = 0; depth < 3 && level.length; depth++) {
    const found = level.find((v) => typeof v === 'string' && v.length >= 6);
    if (found !== undefined) return found;
    level = level.flatMap((v) => (v !== null && typeof v === 'object' ? Object.values(v) : []));
  }
  return undefined;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const attr = (s: string) => JSON.stringify(s); // a quoted CSS attribute value

/** True when the element's box intersects the viewport: what a reader actually sees. */
const onScreen = (locator: Locator) =>
  locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
  });

/** Sidebar entry of an operation, expanding its tag group first (Redoc renders collapsed groups empty). */
async function openFromSidebar(page: Page, op: Operation): Promise<void> {
  const sidebar = page.locator('.menu-content');
  const item = sidebar.locator(`[data-text=${attr(op.summary)}]`).first();
  if (!(await item.isVisible()) && op.tag) {
    await sidebar.locator(`[data-text=${attr(op.tag)}]`).first().click();
  }
  await item.waitFor({ state: 'visible', timeout: 5_000 });
  await item.click();
}

/** An h2 reading `summary` (Redoc adds a "Deprecated" badge after some). */
const h2 = (page: Page, summary: string) => page.locator('h2').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(summary)}`) });

/** The operation's own heading in the middle panel. */
function operationHeading(page: Page, summary: string): Locator {
  return page.locator('main').locator(h2(page, summary)).first();
}

/** The operation's section: description, parameters, schemas and the example panels beside them. */
function operationSection(page: Page, summary: string): Locator {
  return page.locator('main [data-section-id]').filter({ has: h2(page, summary) }).first();
}

const spec: Json = ready ? JSON.parse(readFileSync(SPEC_FILE, 'utf8')) : undefined;
const operations = ready ? specOperations(spec) : [];

describe.skipIf(!ready)('Redoc reference in Chromium', () => {
  let browser: Browser;
  let server: EmulatorServer;

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startEmulatorServer({ emulator: new ReferralsEmulator({ count: 5, rateLimit: false }), port: 0, docsFile: DOCS_FILE });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const sources = [
    { name: 'from disk (file://)', url: () => pathToFileURL(DOCS_FILE).href, screenshots: true },
    { name: "from the emulator's /docs", url: () => `${server.url}/docs`, screenshots: false },
  ];

  describe.each(sources)('$name', ({ url, screenshots }) => {
    let context: BrowserContext;
    let page: Page;
    const offMachine: string[] = [];
    const seen: string[] = [];
    const pageErrors: string[] = [];

    beforeAll(async () => {
      context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
      // Every request of every page in the context passes here first; off-machine ones are
      // recorded (the test fails on them) and aborted.
      await context.route('**/*', (route) => {
        const requestUrl = route.request().url();
        seen.push(requestUrl);
        if (staysOnMachine(requestUrl)) return route.continue();
        offMachine.push(requestUrl);
        return route.abort('blockedbyclient');
      });
      page = await context.newPage();
      page.on('websocket', (ws) => {
        if (!staysOnMachine(ws.url())) offMachine.push(ws.url());
      });
      page.on('pageerror', (err) => pageErrors.push(err.message));
      const response = await page.goto(url(), { waitUntil: 'load' });
      expect(response?.ok() ?? true, `${url()} answered ${response?.status()}`).toBe(true);
      await page.locator('[data-testid="search-trigger"]').waitFor({ state: 'visible', timeout: 15_000 });
    });

    afterAll(async () => {
      await context?.close();
    });

    it('renders the page title and the API description', async () => {
      await expect.poll(() => page.locator('main h1').first().textContent()).toContain(spec.info.title);
      const firstSentence = spec.info.description.split(/(?<=[.:])\s/)[0]!.trim();
      expect(await page.locator('main').innerText()).toContain(firstSentence);
    });

    it('shows the summary of every operation of the spec, in the sidebar and as its heading', async () => {
      expect(operations.length).toBeGreaterThan(0);
      const notShown: string[] = [];
      for (const op of operations) {
        try {
          await openFromSidebar(page, op);
          const heading = operationHeading(page, op.summary);
          await heading.waitFor({ state: 'visible', timeout: 5_000 });
          await expect.poll(() => onScreen(heading), { timeout: 5_000 }).toBe(true);
        } catch (err) {
          notShown.push(`${op.operationId} "${op.summary}": ${(err as Error).message.split('\n')[0]}`);
        }
      }
      expect(notShown, 'operations whose summary is not visible').toEqual([]);
    });

    it('shows each operation\'s request and response examples, and every Referral property where one is returned', async () => {
      const referral = spec.definitions.Referral;
      expect(referral?.properties, 'the spec has no Referral definition').toBeDefined();
      const problems: string[] = [];
      for (const op of operations) {
        await openFromSidebar(page, op);
        const section = operationSection(page, op.summary);
        await section.waitFor({ state: 'visible', timeout: 5_000 });
        // Redoc fills a section in as it scrolls into view, so read it until it is complete.
        const missingIn = async () => {
          const text = await section.innerText();
          const lines = new Set(text.split('\n').map((l) => l.trim()));
          const out: string[] = [];
          const request = shallowString(op.requestExample);
          if (op.requestExample !== undefined && !text.includes(JSON.stringify(request))) out.push(`request example value ${JSON.stringify(request)} not shown`);
          const response = shallowString(op.success?.example);
          if (op.success && !text.includes(JSON.stringify(response))) out.push(`${op.success.code} example value ${JSON.stringify(response)} not shown`);
          if (op.success?.schema?.$ref === '#/definitions/Referral') {
            const absent = Object.keys(referral.properties).filter((name) => !lines.has(name));
            if (absent.length) out.push(`Referral properties not listed: ${absent.join(', ')}`);
          }
          return out;
        };
        let last: string[] = [];
        await expect
          .poll(async () => (last = await missingIn()), { timeout: 5_000 })
          .toEqual([])
          .catch(() => problems.push(...last.map((p) => `${op.operationId}: ${p}`)));
      }
      expect(operations.some((op) => op.success?.schema?.$ref === '#/definitions/Referral'), 'no operation returns a Referral').toBe(true);
      expect(problems).toEqual([]);
    });

    it('states the throttling (429, Retry-After) and concurrency (If-Match, 412) rules where the spec declares them', async () => {
      const problems: string[] = [];
      for (const op of operations) {
        await openFromSidebar(page, op);
        const section = operationSection(page, op.summary);
        await section.waitFor({ state: 'visible', timeout: 5_000 });
        const shows = (test: (text: string) => boolean) =>
          expect
            .poll(async () => test(await section.innerText()), { timeout: 5_000 })
            .toBe(true)
            .then(() => true, () => false);
        if (op.codes.includes('429')) {
          // The 429 tab of the responses shows the Retry-After header the spec declares there.
          await section.getByRole('tab', { name: '429', exact: true }).first().click();
          if (!(await shows((text) => text.split('\n').some((l) => l.trim() === 'Retry-After')))) {
            problems.push(`${op.operationId}: 429 answer shows no Retry-After header`);
          }
        }
        if (op.parameters.includes('If-Match') && !(await shows((text) => text.includes('If-Match') && text.includes('412')))) {
          problems.push(`${op.operationId}: If-Match and 412 are not both explained`);
        }
      }
      expect(operations.filter((op) => op.codes.includes('429')).length, 'no operation declares 429').toBeGreaterThan(0);
      expect(operations.filter((op) => op.parameters.includes('If-Match')).length, 'no operation takes If-Match').toBeGreaterThan(0);
      expect(problems).toEqual([]);
    });

    it(`finds "${SEARCH_TERM}" with the search box`, async () => {
      await page.locator('[data-testid="search-trigger"]').click();
      const dialog = page.locator('[data-testid="search-dialog"]');
      await dialog.locator('input').fill(SEARCH_TERM);
      const results = dialog.locator('[data-component-name="Search/SearchItem"]');
      await results.first().waitFor({ state: 'visible', timeout: 5_000 });
      const texts = await results.allInnerTexts();
      // Every operation whose summary names the term must be among the hits.
      const expected = operations.filter((op) => op.summary.toLowerCase().includes(SEARCH_TERM)).map((op) => op.summary);
      expect(expected.length, `no operation summary mentions "${SEARCH_TERM}"`).toBeGreaterThan(0);
      for (const summary of expected) expect(texts.some((t) => t.includes(summary)), `search hit for "${summary}"`).toBe(true);
      if (screenshots) {
        mkdirSync(dirname(SEARCH_SCREENSHOT), { recursive: true });
        await page.screenshot({ path: SEARCH_SCREENSHOT, animations: 'disabled' });
      }
      // Choosing a hit opens that operation.
      await results.filter({ hasText: expected[0]! }).first().click();
      await expect.poll(() => onScreen(operationHeading(page, expected[0]!)), { timeout: 5_000 }).toBe(true);
      if (screenshots) await page.screenshot({ path: SCREENSHOT, animations: 'disabled' });
    });

    it('sent no request off the machine and raised no script error', async () => {
      // The guard works: an off-machine fetch from the page is caught (then forgotten).
      const before = offMachine.length;
      await page.evaluate(() => fetch('https://example.com/probe').catch(() => undefined));
      expect(offMachine.slice(before)).toEqual(['https://example.com/probe']);
      offMachine.splice(before);

      expect(seen.length, 'no request was observed at all').toBeGreaterThan(0);
      expect(offMachine, 'requests that would leave the machine').toEqual([]);
      expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    });
  });
});
