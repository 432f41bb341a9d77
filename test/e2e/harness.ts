/**
 * Shared end-to-end helpers: start `layerlab serve` from the built app in a temp folder (so its
 * run directories land there), and launch Debian's Chromium through playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { repoRoot, sharedDatasets as datasetsDir } from '../helpers/paths.js';

export { repoRoot, datasetsDir };
export const resultsDir = path.join(repoRoot, 'test-results');
export const CHROMIUM = '/usr/bin/chromium';

export interface Server {
  readonly url: string;
  /** The server's working folder: its `runs/` is written here. */
  readonly dir: string;
  /** Everything the server wrote to stderr so far (for failure messages). */
  readonly log: () => string;
  stop(): Promise<void>;
}

/** Starts `node bin/layerlab.mjs serve --port 0` and resolves once it prints its URL. */
export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  for (const f of ['dist/cli.mjs', 'dist/renderer/index.html'])
    if (!existsSync(path.join(repoRoot, f))) throw new Error(`${f} is missing: run \`npm run build\` before the e2e tests`);
  const dir = mkdtempSync(path.join(tmpdir(), 'layerlab-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'bin/layerlab.mjs'), 'serve', '--port', '0'], {
    cwd: dir,
    env: { ...process.env, LAYERLAB_DATA_DIR: datasetsDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`layerlab serve printed no URL within 60 s:\n${log}`)), 60_000);
    child.stderr!.on('data', (b: Buffer) => {
      log += b.toString();
      const m = /Layerlab is running at (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`layerlab serve exited with ${code}:\n${log}`));
    });
  });
  return {
    url,
    dir,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Collects page errors and console errors (CSP violations among them) so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** Saves a full-page screenshot under test-results/ (ignored by git) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export interface AppSession {
  readonly server: Server;
  readonly browser: Browser;
  readonly page: Page;
  /** Page errors and console errors seen so far. */
  readonly errors: string[];
}

/**
 * For the calling test file: starts `layerlab serve` and Chromium before its tests, opens one
 * 1440×900 page on the app, and closes both after. Read the fields inside tests or hooks.
 */
export function useApp(options: { acceptDownloads?: boolean } = {}): AppSession {
  const s = {} as { -readonly [K in keyof AppSession]: AppSession[K] };
  beforeAll(async () => {
    s.server = await startServer();
    s.browser = await launchBrowser();
    s.page = await s.browser.newPage({ viewport: { width: 1440, height: 900 }, ...options });
    s.errors = watchErrors(s.page);
    await s.page.goto(s.server.url);
  });
  afterAll(async () => {
    await s.browser?.close();
    await s.server?.stop();
  });
  return s;
}
