-- Giftdesk: the grants of the server's runtime role, giftdesk_app.
-- Run as the owner role (the one that migrates), connected to the Giftdesk database,
-- after `giftdesk migrate`; run it again after each upgrade (it is idempotent).
-- giftdesk_app gets no DDL, and only SELECT and INSERT on the audit log.
GRANT USAGE ON SCHEMA public TO giftdesk_app;
GRANT SELECT ON knex_migrations, marketplaces TO giftdesk_app;
GRANT SELECT, INSERT ON audit_log, card_events, ledger_entries, card_deliveries,
  credit_approvals, idempotency_keys, redemption_failures, account_searches TO giftdesk_app;
GRANT SELECT, UPDATE ON audit_head, accounts, liability_totals TO giftdesk_app;
GRANT SELECT, INSERT, UPDATE ON users, cards, sessions, recovery_cases, credit_requests TO giftdesk_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON settings, approval_limits TO giftdesk_app;
-- Personal-data reveals: one row per reveal, counted for the daily cap.
GRANT SELECT, INSERT ON pii_reveals TO giftdesk_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO giftdesk_app;
