/**
 * The shipped migrations, imported statically so they work bundled, under vitest and
 * from the CLI (no directory scanning, no eval). Append new ones at the end; names
 * are `<UTC timestamp>_<what>` and never change once shipped.
 */
import type { Knex } from 'knex';
import * as initial from './20261122100000_initial';
import * as redemption from './20261122120000_redemption';
import * as recovery from './20261122140000_recovery';
import * as credits from './20261122160000_credits';
import * as accountSearch from './20261124170000_account_search';
import * as sessions from './20261124190000_sessions';
import * as userAdmin from './20261125100000_user_admin';
import * as cardImportBatches from './20261125110000_card_import_batches';
import * as piiReveals from './20261125120000_pii_reveals';
import * as auditSearch from './20261125121000_audit_search';
import * as dashboard from './20261125130000_dashboard';

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const shipped: ReadonlyArray<readonly [string, MigrationModule]> = [
  ['20261122100000_initial', initial],
  ['20261122120000_redemption', redemption],
  ['20261122140000_recovery', recovery],
  ['20261122160000_credits', credits],
  ['20261124170000_account_search', accountSearch],
  ['20261124190000_sessions', sessions],
  ['20261125100000_user_admin', userAdmin],
  ['20261125110000_card_import_batches', cardImportBatches],
  ['20261125120000_pii_reveals', piiReveals],
  ['20261125121000_audit_search', auditSearch],
  ['20261125130000_dashboard', dashboard],
];

export const shippedMigrationNames: readonly string[] = shipped.map(([name]) => name);

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => [...shippedMigrationNames],
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = shipped.find(([n]) => n === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1];
  },
};
