/**
 * Issue 11, bypass 5: test hooks and developer tools must be impossible in a release
 * build by construction, not switched off at run time. This builds the RELEASE bundle
 * (`electron-vite build --mode production`, what `npm run build:release`, `npm start`
 * and packaging use) into a temporary folder, so the test build in `out/` that the e2e
 * suite runs stays as it is, and reads what would ship.
 * The same build is then scanned by Electronegativity (the Electron security linter).
 * GIFTDESK_RELEASE_DIR=<folder> reads an existing release build instead of building.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposedSurface } from '../support/surface';
import { excludedChecks, findingExceptions, parseErrorExceptions } from './electronegativityExceptions';

const root = path.resolve(__dirname, '../..');
let outDir: string;
let built = false;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

const bundleText = (): { file: string; text: string }[] =>
  filesUnder(outDir)
    .filter((file) => /\.(m?js|cjs|html)$/.test(file))
    .map((file) => ({ file: path.relative(outDir, file), text: readFileSync(file, 'utf8') }));

beforeAll(() => {
  if (process.env['GIFTDESK_RELEASE_DIR']) {
    outDir = path.resolve(process.env['GIFTDESK_RELEASE_DIR']);
    return;
  }
  outDir = mkdtempSync(path.join(os.tmpdir(), 'giftdesk-release-'));
  built = true;
  const cli = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  execFileSync(process.execPath, [cli, 'build', '--mode', 'production', '--logLevel', 'warn'], {
    cwd: root,
    env: { ...process.env, GIFTDESK_OUT_DIR: outDir },
    stdio: 'pipe',
  });
}, 180_000);

afterAll(() => {
  if (built) rmSync(outDir, { recursive: true, force: true });
});

describe('the release bundle', () => {
  it('is a whole build: main, preload and renderer, with the real channels in it', () => {
    // The main process's entry and the chunks it shares with the CLI (`giftdesk serve` runs the same contract).
    const main = filesUnder(path.join(outDir, 'main'))
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const preload = readFileSync(path.join(outDir, 'preload', 'index.js'), 'utf8');
    expect(readFileSync(path.join(outDir, 'renderer', 'index.html'), 'utf8')).toContain('Content-Security-Policy');
    for (const text of [main, preload]) expect(text).toContain('cards:lookup');
  });

  it("contains neither the test-only channel, the developer tools menu item nor the harness's dialog stand-ins, in any file", () => {
    const found = bundleText().flatMap(({ file, text }) =>
      ['test:advanceClock', 'advanceClock', 'toggleDevTools', 'openDevTools', 'Test hooks are off', 'GIFTDESK_TEST_IMPORT_FILE', 'GIFTDESK_TEST_EXPORT_FILE'].filter((needle) =>
        text.includes(needle),
      ).map((needle) => `${file}: ${needle}`),
    );
    expect(found).toEqual([]);
  });

  it('builds its windows with developer tools disabled', () => {
    const main = readFileSync(path.join(outDir, 'main', 'index.js'), 'utf8');
    expect(main).toMatch(/devTools:\s*false/);
  });

  it("preload exposes the contract's product domains and no `test` domain", () => {
    const code = readFileSync(path.join(outDir, 'preload', 'index.js'), 'utf8');
    const exposed: Record<string, unknown> = {};
    const invoked: string[] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, value: unknown) => (exposed[name] = value) },
      ipcRenderer: {
        invoke: (channel: string) => (invoked.push(channel), Promise.resolve(undefined)),
        on: () => undefined,
        removeListener: () => undefined,
      },
    };
    const fakeRequire = (name: string) => {
      if (name !== 'electron') throw new Error(`the sandboxed preload required ${name}`);
      return electron;
    };
    new Function('require', 'module', 'exports', code)(fakeRequire, { exports: {} }, {});
    const api = exposed['giftdesk'] as Record<string, unknown>;
    const surface = Object.fromEntries(
      Object.entries(api)
        .filter(([, value]) => typeof value === 'object' && value !== null)
        .map(([domain, verbs]) => [domain, Object.keys(verbs as object).sort()]),
    );
    const { test: _testOnly, ...release } = exposedSurface;
    expect(surface).toEqual(release);
    expect(api).not.toHaveProperty('test');
  });
});

interface ElectronegativityIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string; value: number };
  confidence: { name: string };
  description: string;
}
interface ElectronegativityResult {
  errors: { file: string; message?: string; error?: unknown }[];
  issues: ElectronegativityIssue[];
}

/**
 * Electronegativity 1.10 parses TypeScript through @typescript-eslint/typescript-estree 4,
 * which requires `typescript` and would get the project's TypeScript 7 (a native
 * compiler with no JavaScript API). Electronegativity ships its own TypeScript 4.2:
 * route that one `require` there, for the scan only.
 */
function loadElectronegativity(): (options: object) => Promise<ElectronegativityResult> {
  const require = createRequire(__filename);
  const Module = require('node:module') as { _resolveFilename: (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string };
  const own = path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'node_modules', 'typescript', 'lib', 'typescript.js');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if (request === 'typescript' && parent?.filename?.includes(`${path.sep}@typescript-eslint${path.sep}`)) return own;
    return resolve.call(this, request, parent, ...rest);
  };
  const loaded = require('@doyensec/electronegativity') as { default?: unknown };
  return (loaded.default ?? loaded) as (options: object) => Promise<ElectronegativityResult>;
}

/**
 * What Electronegativity reads: the main-process and preload SOURCE (electron/**: it
 * recognises `new BrowserWindow({ webPreferences })`, navigation and permission
 * handlers as written, not as the bundler rewrites them, e.g. `new
 * electron.BrowserWindow`, which it misses), the release renderer (index.html with the
 * real CSP, and its scripts) and package.json (the Electron version).
 */
function scanInput(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'giftdesk-electronegativity-'));
  cpSync(path.join(root, 'electron'), path.join(dir, 'electron'), { recursive: true });
  cpSync(path.join(outDir, 'renderer'), path.join(dir, 'renderer'), { recursive: true });
  cpSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  return dir;
}

describe('Electronegativity on the main-process source and the release renderer', () => {
  it('finds no HIGH or MEDIUM issue and parses every file, except reviewed exceptions', async () => {
    const run = loadElectronegativity();
    const input = scanInput();
    let result: ElectronegativityResult;
    try {
      result = await run({
        input,
        isRelative: true,
        severitySet: 'informational',
        confidenceSet: 'tentative',
        electronVersionOverride: (createRequire(__filename)('electron/package.json') as { version: string }).version,
        customScan: [],
        excludeFromScan: excludedChecks.map((excluded) => excluded.check.toLowerCase()),
        parserPlugins: [],
      });
    } finally {
      rmSync(input, { recursive: true, force: true });
    }
    const relative = (file: string) => (path.isAbsolute(file) ? path.relative(input, file) : file).split(path.sep).join('/');

    const unparsed = result.errors
      .map((error) => ({ file: relative(error.file), message: String(error.message ?? error.error ?? '') }))
      .filter(({ file, message }) => !parseErrorExceptions.some((ok) => ok.file.test(file) && ok.message.test(message)))
      .map(({ file, message }) => `${file}: ${message}`);
    expect(unparsed).toEqual([]);

    const serious = result.issues
      .filter((issue) => issue.severity.name === 'HIGH' || issue.severity.name === 'MEDIUM')
      .filter((issue) => !findingExceptions.some((ok) => ok.id === issue.id && ok.file.test(relative(issue.file))))
      .map((issue) => `${issue.severity.name} ${issue.id} ${relative(issue.file)}:${issue.location.line} — ${issue.description}`);
    expect(serious).toEqual([]);
  }, 120_000);

  it('would catch a window with Node integration and no isolation (the scan is not blind)', async () => {
    const run = loadElectronegativity();
    const input = mkdtempSync(path.join(os.tmpdir(), 'giftdesk-electronegativity-'));
    writeFileSync(
      path.join(input, 'main.ts'),
      "import { BrowserWindow } from 'electron';\n" +
        'new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n',
    );
    try {
      const result = await run({ input, isRelative: true, customScan: [], excludeFromScan: excludedChecks.map((e) => e.check.toLowerCase()), parserPlugins: [], electronVersionOverride: '45.0.0' });
      expect(result.issues.map((issue) => issue.id)).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK']));
    } finally {
      rmSync(input, { recursive: true, force: true });
    }
  }, 120_000);
});
