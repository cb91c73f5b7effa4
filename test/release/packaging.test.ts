/**
 * The packaging configuration (electron-builder.json, used by `npm run package`). It
 * cannot be exercised here: electron-builder downloads Electron for each target. So
 * this test reads the configuration and holds it to what the release needs: the
 * Electron fuses that close run-as-Node, NODE_OPTIONS, the inspector and loading the
 * app from outside the integrity-checked ASAR; the installers we ship; and only the
 * release build going in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const config = JSON.parse(readFileSync(path.join(root, 'electron-builder.json'), 'utf8')) as Record<string, unknown> & {
  electronFuses: Record<string, unknown>;
  files: string[];
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
};
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
};

describe('packaging (electron-builder.json)', () => {
  it('flips the Electron fuses: no run-as-Node, no NODE_OPTIONS or inspector, cookies encrypted, app only from an integrity-checked ASAR', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    // The integrity and only-from-ASAR fuses mean something only with an ASAR whose hash is embedded:
    // `true`, not an options object that could say `disableIntegrity`.
    expect(config['asar']).toBe(true);
  });

  it('builds an AppImage and a deb for Linux, an NSIS installer for Windows and a dmg for macOS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('packs the built app only (no sources, tests or source maps), and the entry point is in it', () => {
    expect(config.files).toEqual(['package.json', 'out/main/**/*', 'out/preload/**/*', 'out/renderer/**/*', '!**/*.map']);
    expect(pkg.main.startsWith('out/main/')).toBe(true);
  });

  it('packages a release build, never the test build that `npm run build` leaves in out/', () => {
    expect(pkg.scripts['build:release']).toMatch(/electron-vite build --mode production\b/);
    expect(pkg.scripts['package']).toMatch(/^npm run build:release && electron-builder --config electron-builder\.json\b/);
    // and the test build is the one the suite uses
    expect(pkg.scripts['build']).toBe('electron-vite build --mode test');
  });
});
