import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import puppeteer, { type Browser } from 'puppeteer-core';
import { harness, createCaller, type Caller, type Harness } from './support/harness';
import { Role } from '../src/core/auth/roles';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`ide.test.ts: ${CHROMIUM} not found, so the headless-browser test of the IDE is SKIPPED. Install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH to run it; CI installs it (.ci/run).`);
}

let h: Harness;
let caller: Caller;
beforeAll(async () => {
  h = await harness();
  caller = await createCaller(h, { roles: [Role.CASE_MANAGER] });
});
afterAll(() => h.close());

/** The few browser globals the page scripts below touch (this project compiles without the DOM library). */
interface BrowserWindow {
  __csp: string[];
  document: {
    querySelector(selector: string): { textContent: string | null } | null;
    addEventListener(type: 'securitypolicyviolation', listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
  };
}

/** Every src= and href= of the page. */
const references = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);

describe('the IDE page', () => {
  test('GET /graphql from a browser (Accept: text/html) returns the page with a strict Content-Security-Policy', async () => {
    const response = await request(h.app).get('/graphql').set('accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    expect(response.status).toBe(200);
    expect(response.type).toBe('text/html');
    expect(response.text).toContain('id="token"');
    expect(response.text).toContain('id="graphiql"');
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toContain("connect-src 'self'");
    // No inline script: every script is a file of this server.
    expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  test('GraphQL clients on GET /graphql still get GraphQL, not the page', async () => {
    const response = await request(h.app).get('/graphql').set('accept', 'application/graphql-response+json').set('apollo-require-preflight', 'true');
    expect(response.type).not.toBe('text/html');
  });

  test('no http(s):// URL anywhere in the page, and every asset it references is served locally', async () => {
    const page = (await request(h.app).get('/graphql').set('accept', 'text/html')).text;
    expect(page).not.toMatch(/https?:\/\//i);
    expect(page).not.toMatch(/(src|href)="\/\//); // protocol-relative URLs would leave the server too
    const assets = references(page).filter((ref) => !ref.startsWith('data:'));
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/ide\/assets\/[\w.-]+$/);
      const response = await request(h.app).get(asset);
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
      const body = response.text ?? response.body.toString();
      expect(body.length).toBeGreaterThan(100);
      if (asset.endsWith('.css')) {
        expect(response.type).toBe('text/css');
        // Stylesheets must not pull fonts or images from the internet either.
        expect(body).not.toMatch(/url\(\s*['"]?(https?:)?\/\//i);
        expect(body).not.toMatch(/@import/i);
      } else {
        expect(response.type).toMatch(/javascript/);
      }
    }
  });

  test('an unknown asset is 404', async () => {
    await request(h.app).get('/ide/assets/nope.js').expect(404);
    await request(h.app).get('/ide/assets/..%2Fpackage.json').expect(404);
  });
});

(hasChromium ? describe : describe.skip)('the IDE in a real headless Chromium', () => {
  let server: Server;
  let browser: Browser;
  let userDataDir: string;

  beforeAll(async () => {
    server = h.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'krug-ide-chromium-'));
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${userDataDir}`],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  test('loads GraphiQL from this server only, runs a query with the pasted token, and shows the result', async () => {
    const port = (server.address() as AddressInfo).port;
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    const requests: string[] = [];
    const problems: string[] = [];
    let sentAuthorization: string | undefined;
    page.on('request', (req) => {
      requests.push(req.url());
      if (req.method() === 'POST' && (req.postData() ?? '').includes('viewer')) sentAuthorization = req.headers().authorization;
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
    // Any Content-Security-Policy violation is recorded by the page itself.
    await page.evaluateOnNewDocument(() => {
      const browser = globalThis as unknown as BrowserWindow;
      browser.__csp = [];
      browser.document.addEventListener('securitypolicyviolation', (event) => browser.__csp.push(`${event.violatedDirective} ${event.blockedURI}`));
    });

    await page.goto(`http://127.0.0.1:${port}/graphql`, { waitUntil: 'networkidle0', timeout: 30_000 });
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 30_000 });
    // GraphiQL fetched the schema by introspection (no token needed): the documentation explorer can list Query.
    await page.waitForFunction(() => !(globalThis as unknown as BrowserWindow).document.querySelector('.graphiql-spinner'), { timeout: 30_000 });

    await page.type('#token', caller.token);
    expect(await page.$eval('#status', (el) => el.textContent)).toBe('token set');

    // Type the query as a person would: select everything in the editor and type over it.
    await page.click('.graphiql-query-editor .CodeMirror');
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('{ viewer { roles } }');
    await page.keyboard.press('Escape'); // close an autocomplete popup, if one is open
    const typed = await page.$eval('.graphiql-query-editor .CodeMirror', (el) => (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
    expect(typed.replace(/\s+/g, ' ').trim()).toBe('{ viewer { roles } }');

    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => (globalThis as unknown as BrowserWindow).document.querySelector('.graphiql-response')?.textContent?.includes('CASE_MANAGER'), {
      timeout: 30_000,
    });
    const result = await page.$eval('.graphiql-response .CodeMirror', (el) => (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
    expect(JSON.parse(result)).toEqual({ data: { viewer: { roles: ['CASE_MANAGER'] } }, extensions: { cost: expect.any(Number) } });
    expect(sentAuthorization).toBe(`Bearer ${caller.token}`);

    fs.mkdirSync(path.resolve(__dirname, '..', 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.resolve(__dirname, '..', 'test-artifacts', 'ide.png') });

    const foreign = requests.filter((url) => {
      const { protocol, hostname } = new URL(url);
      if (protocol === 'data:' || protocol === 'blob:') return false;
      return !['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
    });
    expect(foreign).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserWindow).__csp)).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);
});
