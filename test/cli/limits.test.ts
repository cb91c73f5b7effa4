/**
 * `giftdesk limits set <name> <value>` for the general limits and `limits show` listing
 * them: the same shared rules (shared/limits.ts) and the same service as the console's
 * Limits screen, on both engines.
 */
import { describe, expect, test } from 'vitest';
import { getLimits } from '../../electron/services/settings';
import { cliStore } from '../support/cliStore';
import { engines } from '../support/store';

for (const engine of engines) {
  describe(engine, () => {
    const cli = cliStore(engine, 'limits');
    const { run, withStore } = cli;

    test('limits show prints every general limit with its unit and bounds', async () => {
      const shown = await run(['limits', 'show']);
      expect(shown.code).toBe(0);
      expect(shown.out).toContain('Sign-in and sessions:\n');
      expect(shown.out).toMatch(/ {2}idle-lock-minutes +15 minutes {2}\(1 to 240 minutes\)\n/);
      expect(shown.out).toMatch(/ {2}sign-in-max-failures +5 failures {2}\(3 to 20 failures\)\n/);
      expect(shown.out).toContain('Redemption and recovery:\n');
      expect(shown.out).toMatch(/ {2}recovery-window-hours +24 hours {2}\(1 to 168 hours\)\n/);
      expect(shown.out).toMatch(/ {2}account-searches-per-hour +60 searches {2}\(10 to 1,000 searches\)\n/);
    });

    test('limits set <name> <value> changes a general limit, audited with old and new; the same value says nothing changed', async () => {
      expect(await run(['limits', 'set', 'idle-lock-minutes', '10'])).toEqual({
        code: 0,
        out: 'Idle lock: 10 minutes (was 15 minutes). It takes effect at the next sign-in; open sessions keep the value they started with.\n',
        err: '',
      });
      expect(await run(['limits', 'set', 'idle-lock-minutes', '10'])).toEqual({ code: 0, out: 'Idle lock is already 10 minutes; nothing changed.\n', err: '' });
      expect(await run(['limits', 'set', 'sign-in-max-failures', '8'])).toMatchObject({
        code: 0,
        out: 'Failed sign-ins before the lock: 8 failures (was 5 failures).\n',
      });
      expect((await run(['limits', 'show'])).out).toMatch(/idle-lock-minutes +10 minutes/);
      await withStore(async (rt) => {
        expect(await getLimits(rt.db)).toMatchObject({ idleLockMinutes: 10, signInMaxFailures: 8 });
        const audit = await rt.db('audit_log').where({ action: 'limits.generalChanged' }).orderBy('seq').select('actor', 'subject_id', 'details');
        expect(audit.map((row) => ({ ...row, details: JSON.parse(row.details) }))).toEqual([
          { actor: 'cli:tester', subject_id: 'limits.idleLockMinutes', details: { name: 'idleLockMinutes', old: 15, new: 10 } },
          { actor: 'cli:tester', subject_id: 'limits.signInMaxFailures', details: { name: 'signInMaxFailures', old: 5, new: 8 } },
        ]);
      });
    });

    test('a value outside the shared bounds, or not a whole number, is refused (exit 2) and changes nothing', async () => {
      for (const [args, message] of [
        [['idle-lock-minutes', '0'], 'Idle lock must be 1 to 240 minutes.'],
        [['idle-lock-minutes', '241'], 'Idle lock must be 1 to 240 minutes.'],
        [['session-max-hours', '1.5'], 'Longest session is a whole number of hours.'],
        [['sign-in-max-failures', 'many'], 'Failed sign-ins before the lock is a whole number of failures.'],
        [['recovery-case-minutes', '-5'], 'Time to resolve a recovery case is a whole number of minutes.'],
      ] as const) {
        const result = await run(['limits', 'set', ...args]);
        expect(result.code).toBe(2);
        expect(result.err).toContain(`giftdesk: ${message}`);
      }
      expect((await run(['limits', 'set', 'no-such-limit', '5'])).code).toBe(2);
      await withStore(async (rt) => {
        expect(await rt.db('settings').where('key', 'like', 'limits.%')).toEqual([]);
        expect(await rt.db('audit_log').where('action', 'like', 'limits.%')).toEqual([]);
      });
    });
  });
}
