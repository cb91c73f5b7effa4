/**
 * giftdesk.config.json may hold the team's database URL (with its password) and the
 * claim-code key: when the console or the CLI reads it and other users can read it
 * too, it is tightened to 0600 with a one-line warning naming the file, never its
 * content (POSIX only).
 */
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCli } from '../../electron/cli';
import { CONFIG_FILE, resolveConfig } from '../../electron/config';
import { TEST_SECRET_KEY } from '../support/engines';

const posix = process.platform !== 'win32';
const SECRET_URL = 'postgres://giftdesk:s3cret-pass@db.example/giftdesk';

describe.skipIf(!posix)('the configuration file is the OS user\'s alone', () => {
  let dataDir: string;
  let file: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-config-mode-'));
    file = path.join(dataDir, CONFIG_FILE);
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function writeConfig(content: object, mode: number): Promise<void> {
    await writeFile(file, JSON.stringify(content), { mode });
    await chmod(file, mode); // whatever the umask
  }
  const modeOf = async () => (await stat(file)).mode & 0o777;

  test.each([0o644, 0o640, 0o604, 0o666])('mode %o is tightened to 0600 with a warning naming the file, not its content', async (mode) => {
    await writeConfig({ databaseUrl: SECRET_URL, secretKey: TEST_SECRET_KEY }, mode);
    const warnings: string[] = [];
    const config = await resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir: '/unused' }, { warn: (line) => warnings.push(line) });
    expect(await modeOf()).toBe(0o600);
    expect(config).toMatchObject({ databaseUrl: SECRET_URL, secretKey: TEST_SECRET_KEY });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toContain('0600');
    expect(warnings[0]).not.toMatch(/\n/);
    expect(warnings[0]).not.toContain('s3cret');
    expect(warnings[0]).not.toContain(TEST_SECRET_KEY);

    // Once tightened, reading it again says nothing.
    await resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir: '/unused' }, { warn: (line) => warnings.push(line) });
    expect(warnings).toHaveLength(1);
  });

  test('a 0600 (or stricter) file is left alone, without a warning', async () => {
    for (const mode of [0o600, 0o400]) {
      await rm(file, { force: true });
      await writeConfig({ secretKey: TEST_SECRET_KEY }, mode);
      const warnings: string[] = [];
      await resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir: '/unused' }, { warn: (line) => warnings.push(line) });
      expect(await modeOf()).toBe(mode);
      expect(warnings).toEqual([]);
    }
  });

  test('the CLI tightens it too and says so on stderr', async () => {
    await writeConfig({ secretKey: TEST_SECRET_KEY }, 0o644);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c) => (err += c));
    stdout.resume();
    const code = await runCli(['audit', 'verify'], { stdin: Readable.from(['']), stdout, stderr, env: { GIFTDESK_DATA_DIR: dataDir, USER: 'tester' } });
    expect(code).toBe(0);
    expect(await modeOf()).toBe(0o600);
    expect(err.trim().split('\n')).toEqual([`Giftdesk: ${file} was readable by other users (mode 0644); its mode is now 0600.`]);
    expect(err).not.toContain(TEST_SECRET_KEY);
  });
});
