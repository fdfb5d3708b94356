// Shared plumbing for the end-to-end tests: serve the release build in dist/ on 127.0.0.1,
// drive Debian's Chromium with playwright-core, and save screenshots to tests/artifacts/.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..');
const dist = join(repoRoot, 'dist');
export const artifacts = join(repoRoot, 'tests', 'artifacts');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves dist/ on an ephemeral loopback port; unknown paths get index.html. */
export async function serveDist() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^([/\\])+/, '');
    let file = join(dist, path);
    if (!file.startsWith(dist) || path === '' || !extname(path)) file = join(dist, 'index.html');
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

/**
 * Starts the server and a browser for one test file. `open()` gives a fresh page (in a fresh
 * context unless one is passed) whose console errors and uncaught exceptions are collected in
 * `page.errors`; tests assert it stays empty.
 */
export async function startApp() {
  const server = await serveDist();
  const browser = await launchBrowser();
  const open = async ({ context, hash = '', viewport = { width: 1280, height: 800 } } = {}) => {
    const ctx = context ?? (await browser.newContext({ viewport }));
    const page = await ctx.newPage();
    page.errors = [];
    page.on('console', (msg) => { if (msg.type() === 'error') page.errors.push(msg.text()); });
    page.on('pageerror', (err) => page.errors.push(String(err)));
    await page.goto(server.url + hash);
    return page;
  };
  const stop = async () => { await browser.close(); await server.close(); };
  return { url: server.url, browser, open, stop };
}

/** Saves a full-page screenshot as tests/artifacts/<name>.png (not committed; look at it). */
export async function screenshot(page, name) {
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/**
 * Opens an example in the query console and generates `perEntity` sample records of each
 * entity; returns when the data summary is shown.
 */
export async function openWithData(page, example, perEntity, timeout = 60_000) {
  await page.getByTestId(`example-${example}`).click();
  await page.getByTestId('nav-query').click();
  await page.getByTestId('per-entity').fill(String(perEntity));
  await page.getByTestId('per-entity').press('Tab');
  await page.getByTestId('generate').click();
  await page.getByTestId('data-summary').waitFor({ timeout });
}

/** Types into an input and commits it the way a person does (Tab away). */
export async function typeInto(page, testid, text) {
  const input = page.getByTestId(testid);
  await input.fill(text);
  await input.press('Tab');
}

/** The design as the JSON view shows it. */
export async function designJson(page) {
  return JSON.parse(await page.getByTestId('json-text').inputValue());
}

/** Pastes a script into the current database's script console, runs it, waits for its outcomes. */
export async function runScript(page, script) {
  await page.getByTestId('script-input').fill(script);
  const results = page.getByTestId('script-results');
  const previous = (await results.count()) ? await results.getAttribute('data-run') : null;
  await page.getByTestId('script-input').press('Control+Enter');
  await page.waitForFunction((before) => {
    const run = document.querySelector('[data-testid=script-results]')?.dataset.run;
    return run !== undefined && run !== before;
  }, previous, { timeout: 60_000 });
  return page.getByTestId('script-summary').textContent();
}
