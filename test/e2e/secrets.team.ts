/**
 * A team console holds no secret: after a full workflow its data directory holds no
 * database URL, no database password, no claim-code key and no session token (so a copy
 * of it on another machine carries nothing to sign in with), and the renderer never sees
 * a session token (the main process keeps it). Runs in the `team` project only.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { TEST_SECRET_KEY } from '../support/engines';
import { databaseUrl, PG_PASSWORD } from '../support/postgres';
import { expect, test } from './fixtures';
import { AccountsPage } from './pages/AccountsPage';
import { ApprovalsPage, CreditsPage } from './pages/CreditsPage';
import { Shell } from './pages/Shell';
import { SignInPage } from './pages/SignInPage';
import { demo } from './support/demo';

async function sessionTokenHashes(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ token_hash: string }>('select token_hash from sessions')).rows.map((r) => r.token_hash);
  } finally {
    await client.end();
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

test('after a full workflow the console’s data directory holds no database URL, no password, no claim-code key and no session token', async (
  { app, storeSetup, signIn, shell, lookup, page },
  testInfo,
) => {
  // Look up, redeem, request a credit, approve it in another window, sign out: a day at the desk.
  await signIn.signInAs('ava');
  await lookup.search(demo.cards.activeUS.serial);
  await expect(lookup.status).toHaveText('Active');
  await shell.open('Accounts');
  const accounts = new AccountsPage(page);
  await accounts.open(demo.accounts.usCustomer.id);
  await accounts.redeemButton.click();
  await accounts.redeemDialog.redeem(demo.cards.activeUS.claimCode, 'T-8901');
  await expect(accounts.redeemDialog.dialog).toBeHidden();
  await shell.open('Credits');
  const credits = new CreditsPage(page);
  await credits.newRequest.click();
  await credits.dialog.request({ account: demo.accounts.usCustomer.id, amount: '9', reason: 'Goodwill', ticketId: 'T-8902' });
  const sam = await app.newWindow();
  await new SignInPage(sam).signInAs('sam');
  await new Shell(sam).open('Approvals');
  await new ApprovalsPage(sam).approve('T-8902');
  await expect(credits.row('T-8902')).toContainText('Approved');
  await shell.signOut();
  await app.close(); // everything the console writes is written

  const pg = storeSetup.pg!;
  const forbidden = {
    'the database URL': databaseUrl(pg.adminUrl, pg.database),
    'a postgres:// URL': 'postgres://',
    'the database password': PG_PASSWORD,
    'the claim-code key': TEST_SECRET_KEY,
    'the claim code': demo.cards.activeUS.claimCode,
  };
  const files = await filesUnder(app.dataDir);
  const found: string[] = [];
  for (const file of files) {
    const text = (await readFile(file)).toString('latin1');
    for (const [what, secret] of Object.entries(forbidden)) if (text.includes(secret)) found.push(`${what} in ${path.relative(app.dataDir, file)}`);
  }
  // Nor any session token, in any file: every token-shaped string is hashed and looked up
  // among the tokens the server issued in this test (it stores only their SHA-256).
  const issued = new Set(await sessionTokenHashes(databaseUrl(pg.adminUrl, pg.database)));
  expect(issued.size).toBeGreaterThanOrEqual(2); // ava's and sam's windows
  for (const file of files) {
    const text = (await readFile(file)).toString('latin1');
    for (const candidate of text.match(/[A-Za-z0-9_-]{43}/g) ?? []) {
      if (issued.has(createHash('sha256').update(candidate, 'utf8').digest('base64url'))) found.push(`a session token in ${path.relative(app.dataDir, file)}`);
    }
  }
  await testInfo.attach('console-data-files', { body: files.map((f) => path.relative(app.dataDir, f)).join('\n') || '(none)', contentType: 'text/plain' });
  expect(found).toEqual([]);
  // And its configuration names the server only (the environment it was started with).
  expect(Object.keys(storeSetup.env).filter((k) => /DATABASE|SECRET/.test(k))).toEqual([]);
});

test('the renderer never sees a session token: sign-in and session answers carry none', async ({ page, signIn }) => {
  await signIn.expectVisible();
  const answers = await page.evaluate(async () => {
    const api = (window as unknown as { giftdesk: { session: Record<string, (input?: object) => Promise<unknown>> } }).giftdesk.session;
    const signedIn = await api.signIn!({ username: 'ava', password: 'ava-demo' });
    const current = await api.current!();
    return { signedIn, current };
  });
  expect(answers.signedIn).toMatchObject({ ok: true, data: { user: { username: 'ava' } } });
  const text = JSON.stringify(answers);
  expect(text).not.toMatch(/token|credential|authorization|bearer/i);
  // No 32-byte base64url value (the token's form) anywhere in the answers.
  expect(text).not.toMatch(/[A-Za-z0-9_-]{43}/);
  expect(Object.keys(answers.signedIn as object).sort()).toEqual(['data', 'ok']);
});
