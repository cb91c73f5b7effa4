/**
 * Indexes for the supervisor dashboard (electron/services/dashboard.ts), so each chart
 * is one indexed statement on a store of millions of cards and audit entries:
 *  - audit_log (action, at): the recovery, refusal and reveal counts read one action's
 *    entries in the period, not the whole log (the audit search's own indexes on actor,
 *    subject, ticket and time come with 20261125121000);
 *  - liability_totals: what the desk owes, per marketplace (active cards: count and
 *    value; customer balances: accounts with a balance and their sum), kept by triggers
 *    on cards and accounts in the same transaction as every change (row triggers on
 *    SQLite; statement triggers over transition tables on PostgreSQL, so a 500-row
 *    import statement updates each total once). Summing 1 000 000 active cards on every
 *    dashboard opening took 230 ms on SQLite even over a covering index; the totals are
 *    six rows. Seeded here from the store as it is;
 *  - credit_requests (status, decided_at) and (status, expires_at): decided requests in
 *    the period, and the pending queue.
 */
import type { Knex } from 'knex';
import { storeKind } from '../electron/db/dialect';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.index(['action', 'at'], 'audit_log_action_at_index');
  });
  await knex.schema.alterTable('credit_requests', (t) => {
    t.index(['status', 'decided_at'], 'credit_requests_status_decided_at_index');
    t.index(['status', 'expires_at'], 'credit_requests_status_expires_at_index');
  });
  await liabilityTotals(knex);
}

/** PostgreSQL: one marketplace's change in count and amount over a transition table. */
const change = (table: 'cards' | 'accounts', rows: string, sign: '+' | '-') =>
  table === 'cards'
    ? `SELECT marketplace, ${sign}count(*) AS n, ${sign}sum(face_value_minor) AS total FROM ${rows} WHERE status = 'active' GROUP BY marketplace`
    : `SELECT marketplace, ${sign}count(*) FILTER (WHERE balance_minor <> 0) AS n, ${sign}sum(balance_minor) AS total FROM ${rows} GROUP BY marketplace`;
/** PostgreSQL: adds the changes to the totals, skipping marketplaces with none. */
const apply = (table: 'cards' | 'accounts', parts: string[]) => {
  const [n, total] = table === 'cards' ? ['active_cards', 'active_minor'] : ['accounts_with_balance', 'balances_minor'];
  return `UPDATE liability_totals l SET ${n} = l.${n} + d.n, ${total} = l.${total} + d.total
    FROM (SELECT marketplace, sum(n) AS n, sum(total) AS total FROM (${parts.join(' UNION ALL ')}) x
          GROUP BY marketplace HAVING sum(n) <> 0 OR sum(total) <> 0) d
    WHERE l.marketplace = d.marketplace;`;
};

async function liabilityTotals(knex: Knex): Promise<void> {
  await knex.schema.createTable('liability_totals', (t) => {
    t.string('marketplace', 2).primary().references('code').inTable('marketplaces');
    t.bigInteger('active_cards').notNullable();
    t.bigInteger('active_minor').notNullable();
    t.bigInteger('accounts_with_balance').notNullable();
    t.bigInteger('balances_minor').notNullable();
  });
  await knex.raw(`
    INSERT INTO liability_totals (marketplace, active_cards, active_minor, accounts_with_balance, balances_minor)
    SELECT m.code,
      (SELECT count(*) FROM cards c WHERE c.marketplace = m.code AND c.status = 'active'),
      (SELECT COALESCE(sum(c.face_value_minor), 0) FROM cards c WHERE c.marketplace = m.code AND c.status = 'active'),
      (SELECT count(*) FROM accounts a WHERE a.marketplace = m.code AND a.balance_minor <> 0),
      (SELECT COALESCE(sum(a.balance_minor), 0) FROM accounts a WHERE a.marketplace = m.code)
    FROM marketplaces m`);

  if (storeKind(knex) === 'sqlite') {
    const statements = [
      `CREATE TRIGGER marketplaces_liability_insert AFTER INSERT ON marketplaces BEGIN
         INSERT INTO liability_totals (marketplace, active_cards, active_minor, accounts_with_balance, balances_minor) VALUES (NEW.code, 0, 0, 0, 0);
       END`,
      `CREATE TRIGGER cards_liability_insert AFTER INSERT ON cards WHEN NEW.status = 'active' BEGIN
         UPDATE liability_totals SET active_cards = active_cards + 1, active_minor = active_minor + NEW.face_value_minor WHERE marketplace = NEW.marketplace;
       END`,
      `CREATE TRIGGER cards_liability_update AFTER UPDATE OF status, face_value_minor, marketplace ON cards
       WHEN OLD.status = 'active' OR NEW.status = 'active' BEGIN
         UPDATE liability_totals SET active_cards = active_cards - 1, active_minor = active_minor - OLD.face_value_minor
           WHERE marketplace = OLD.marketplace AND OLD.status = 'active';
         UPDATE liability_totals SET active_cards = active_cards + 1, active_minor = active_minor + NEW.face_value_minor
           WHERE marketplace = NEW.marketplace AND NEW.status = 'active';
       END`,
      `CREATE TRIGGER cards_liability_delete AFTER DELETE ON cards WHEN OLD.status = 'active' BEGIN
         UPDATE liability_totals SET active_cards = active_cards - 1, active_minor = active_minor - OLD.face_value_minor WHERE marketplace = OLD.marketplace;
       END`,
      `CREATE TRIGGER accounts_liability_insert AFTER INSERT ON accounts BEGIN
         UPDATE liability_totals SET accounts_with_balance = accounts_with_balance + (NEW.balance_minor <> 0), balances_minor = balances_minor + NEW.balance_minor
           WHERE marketplace = NEW.marketplace;
       END`,
      `CREATE TRIGGER accounts_liability_update AFTER UPDATE OF balance_minor, marketplace ON accounts BEGIN
         UPDATE liability_totals SET accounts_with_balance = accounts_with_balance - (OLD.balance_minor <> 0), balances_minor = balances_minor - OLD.balance_minor
           WHERE marketplace = OLD.marketplace;
         UPDATE liability_totals SET accounts_with_balance = accounts_with_balance + (NEW.balance_minor <> 0), balances_minor = balances_minor + NEW.balance_minor
           WHERE marketplace = NEW.marketplace;
       END`,
      `CREATE TRIGGER accounts_liability_delete AFTER DELETE ON accounts BEGIN
         UPDATE liability_totals SET accounts_with_balance = accounts_with_balance - (OLD.balance_minor <> 0), balances_minor = balances_minor - OLD.balance_minor
           WHERE marketplace = OLD.marketplace;
       END`,
    ];
    for (const statement of statements) await knex.raw(statement);
    return;
  }

  // PostgreSQL: one trigger per event, each over the statement's changed rows (transition tables).
  await knex.raw(`CREATE FUNCTION marketplaces_liability_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO liability_totals (marketplace, active_cards, active_minor, accounts_with_balance, balances_minor) VALUES (NEW.code, 0, 0, 0, 0);
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER marketplaces_liability_insert AFTER INSERT ON marketplaces FOR EACH ROW EXECUTE FUNCTION marketplaces_liability_insert()`);
  for (const table of ['cards', 'accounts'] as const) {
    const events = [
      { event: 'INSERT', referencing: 'NEW TABLE AS new_rows', parts: [change(table, 'new_rows', '+')] },
      { event: 'UPDATE', referencing: 'OLD TABLE AS old_rows NEW TABLE AS new_rows', parts: [change(table, 'new_rows', '+'), change(table, 'old_rows', '-')] },
      { event: 'DELETE', referencing: 'OLD TABLE AS old_rows', parts: [change(table, 'old_rows', '-')] },
    ];
    for (const { event, referencing, parts } of events) {
      const name = `${table}_liability_${event.toLowerCase()}`;
      await knex.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          ${apply(table, parts)}
          RETURN NULL;
        END $$`);
      await knex.raw(`CREATE TRIGGER ${name} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`);
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('Giftdesk migrations are forward-only');
}
