import type { Knex } from 'knex';

export type StoreKind = 'sqlite' | 'postgres';

/** Which engine a Knex handle talks to; SQL that differs between them asks this, in the store layer only. */
export function storeKind(db: Knex): StoreKind {
  const client = db.client.config.client as string | (new (...args: never[]) => unknown);
  const name = typeof client === 'string' ? client : '';
  if (name === 'pg' || name === 'postgres' || name === 'postgresql') return 'postgres';
  if (name === 'sqlite3' || name === 'sqlite') return 'sqlite';
  throw new Error(`unsupported Knex client: ${String(name)}`);
}
