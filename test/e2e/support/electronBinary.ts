import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Electron executable when one is present, without triggering the download that
 * `require('electron')` starts when it is missing.
 */
export function electronBinary(root: string): string | null {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const candidate = override ? path.join(override, relative ?? 'electron') : relative ? path.join(pkg, 'dist', relative) : null;
  return candidate && existsSync(candidate) ? candidate : null;
}
