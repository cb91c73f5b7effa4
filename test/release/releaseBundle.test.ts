/**
 * Issue 11, bypass 5: test hooks and developer tools must be impossible in a release
 * build by construction, not switched off at run time. This builds the RELEASE bundle
 * (`electron-vite build --mode production`, what `npm run build:release`, `npm start`
 * and packaging use) into a temporary folder, so the test build in `out/` that the e2e
 * suite runs stays as it is, and reads what would ship.
 * GIFTDESK_RELEASE_DIR=<folder> reads an existing release build instead of building.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposedSurface } from '../support/surface';

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
    const main = readFileSync(path.join(outDir, 'main', 'index.js'), 'utf8');
    const preload = readFileSync(path.join(outDir, 'preload', 'index.js'), 'utf8');
    expect(readFileSync(path.join(outDir, 'renderer', 'index.html'), 'utf8')).toContain('Content-Security-Policy');
    for (const text of [main, preload]) expect(text).toContain('cards:lookup');
  });

  it('contains neither the test-only channel nor the developer tools menu item, in any file', () => {
    const found = bundleText().flatMap(({ file, text }) =>
      ['test:advanceClock', 'advanceClock', 'toggleDevTools', 'openDevTools', 'Test hooks are off'].filter((needle) =>
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
