// Helpers of the end-to-end tests: the tiski server under test, the browser, and polling.
// Nothing here builds anything: the server is the binary in TISKI_BIN or target/debug/tiski.

import { spawn, execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, mkdirSync, rmSync, createWriteStream, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const execFileP = promisify(execFile);

/** The repository root (the parent of `e2e/`). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where screenshots and the server log go (git-ignored). */
export const OUTPUT = process.env.TISKI_E2E_OUTPUT || join(ROOT, 'test-output');
export const SCREENSHOTS = join(OUTPUT, 'screenshots');

/** The binary under test. */
export const TISKI_BIN = process.env.TISKI_BIN || join(ROOT, 'target', 'debug', 'tiski');
/** The browser. */
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

/** The flags the brief asks for; Playwright adds its own automation flags to these. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** The password of every demo staff user (crates/tiski/src/demo/mod.rs). */
export const DEMO_PASSWORD = 'tiski-demo-password';

/** A TCP port nobody listens on right now. */
export async function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/** Runs `tiski ARGS…` to completion and answers its stdout. */
export async function tiski(args, { timeout = 120_000 } = {}) {
  const { stdout } = await execFileP(TISKI_BIN, args, {
    timeout,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
  });
  return stdout;
}

/** Polls `probe` until it answers a truthy value; throws `message` (with the last error) after `timeout` ms. */
export async function poll(probe, { timeout = 15_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeout} ms waiting for ${message} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * A fresh desk: a temporary data directory filled by `tiski demo`, an admin API token, and
 * `tiski serve` on a free port. `stop()` kills the server by its pid and removes the directory.
 */
export async function startDesk({ tickets = 60 } = {}) {
  if (!existsSync(TISKI_BIN)) {
    throw new Error(`no tiski binary at ${TISKI_BIN}: run \`cargo build -p tiski\` or set TISKI_BIN`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'tiski-e2e-data-'));
  const desk = { dataDir, server: null, log: null, exited: null };
  desk.stop = async () => stopDesk(desk);
  try {
    await tiski(['demo', '--data-dir', dataDir, '--tickets', String(tickets)]);
    desk.token = (await tiski(['token', 'create', '--data-dir', dataDir, '--email', 'admin@demo.tiski.example'])).trim();
    if (!/^\S+$/.test(desk.token)) throw new Error(`unexpected token output: ${JSON.stringify(desk.token)}`);
    desk.port = await freePort();
    desk.base = `http://127.0.0.1:${desk.port}`;
    mkdirSync(OUTPUT, { recursive: true });
    desk.logPath = join(OUTPUT, 'e2e-server.log');
    desk.log = createWriteStream(desk.logPath);
    desk.server = spawn(TISKI_BIN, ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${desk.port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'info' },
    });
    liveServers.add(desk.server);
    desk.server.stdout.pipe(desk.log, { end: false });
    desk.server.stderr.pipe(desk.log, { end: false });
    desk.exited = new Promise((r) => desk.server.once('exit', (code, signal) => r({ code, signal })));
    let exitedEarly = null;
    desk.exited.then((how) => { exitedEarly = how; });
    await poll(async () => {
      if (exitedEarly) throw new Error(`tiski serve exited early (${JSON.stringify(exitedEarly)}); see ${desk.logPath}`);
      const response = await fetch(`${desk.base}/api/v1/health`);
      return response.ok;
    }, { timeout: 30_000, interval: 100, message: `${desk.base}/api/v1/health` }).catch((error) => {
      // An early exit is the real cause; say that rather than "timed out".
      if (exitedEarly) throw new Error(`tiski serve exited early (${JSON.stringify(exitedEarly)}); see ${desk.logPath}`);
      throw error;
    });
    return desk;
  } catch (error) {
    await stopDesk(desk);
    throw error;
  }
}

/** Servers started and not yet stopped, killed by pid if the test process goes away. */
const liveServers = new Set();
function killLeftovers() {
  for (const child of liveServers) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}
process.once('exit', killLeftovers);
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
  process.once(signal, () => { killLeftovers(); process.exit(128 + number); });
}

async function stopDesk(desk) {
  const child = desk.server;
  if (child && child.exitCode === null && child.signalCode === null) {
    try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ }
    const timer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5_000);
    await desk.exited;
    clearTimeout(timer);
  }
  if (child) liveServers.delete(child);
  if (desk.log) await new Promise((r) => desk.log.end(r));
  rmSync(desk.dataDir, { recursive: true, force: true });
}

/** The desk's JSON API with the admin token. */
export async function api(desk, method, path, body) {
  const response = await fetch(`${desk.base}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${desk.token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * One browser with its own fresh user data directory (so two of them are two independent
 * people), English, in Helsinki time, at a desktop size.
 */
export async function openBrowser({ width = 1366, height = 768 } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'tiski-e2e-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width, height },
      locale: 'en-GB',
      timezoneId: 'Europe/Helsinki',
      colorScheme: 'light',
      timeout: 60_000,
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = context.pages()[0] || (await context.newPage());
  const browser = { context, page, problems: [], step: '' };
  const where = () => `[${browser.step}] ${page.url()}`;
  page.on('pageerror', (error) => browser.problems.push(`${where()}: page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The browser logs every HTTP error as a console error too; those are judged below.
    if (/^Failed to load resource: the server responded with a status of/.test(message.text())) return;
    browser.problems.push(`${where()}: console error: ${message.text()} (at ${message.location().url})`);
  });
  page.on('response', (response) => {
    const request = response.request();
    if (response.status() < 400) return;
    const url = new URL(response.url());
    // A wrong password is supposed to answer 401.
    if (request.method() === 'POST' && url.pathname === '/login' && response.status() === 401) return;
    browser.problems.push(`${where()}: HTTP ${response.status()} for ${request.method()} ${url.pathname}${url.search}`);
  });
  return Object.assign(browser, {
    async close() {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  });
}

/** Removes the failure screenshots of an earlier run (the named ones are overwritten). */
export function clearFailureShots() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const name of readdirSync(SCREENSHOTS)) {
    if (/^(failed|known-bug)-.*\.png$/.test(name)) rmSync(join(SCREENSHOTS, name), { force: true });
  }
}

/** Saves a screenshot of what the viewport shows under test-output/screenshots/NAME.png. */
export async function shoot(page, name, options = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // caret: 'initial' — Playwright's default caret hiding leaves `style=""` on every input,
  // which htmx then copies on swaps, tripping the page's CSP (style-src 'self') in the console.
  await page.screenshot({ path, animations: 'disabled', caret: 'initial', ...options });
  return path;
}
