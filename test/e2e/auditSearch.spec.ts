/**
 * Audit search and the ticket view (issue 14): a supervisor reconstructs a case from a
 * ticket id and follows it to the card; filters by user and time; the filter survives
 * navigation; the entry drawer says the details in words with links; the grid stays
 * bounded on 100 000 entries; everything works from the keyboard and passes axe.
 */
import { expect, projectSettings, test } from './fixtures';
import { AccountsPage } from './pages/AccountsPage';
import { TicketPage } from './pages/AuditPage';
import { expectAccessible } from './support/axe';
import { seedAuditEntries } from './support/auditSeed';
import { demo, grouped } from './support/demo';
import { answerFromPage } from './support/pageCalls';
import { TICKET, workTheTicket } from './support/ticketWork';

const emailCard = demo.cards.damagedEmailUS;
const usCard = demo.cards.activeUS;
const us = demo.accounts.usCustomer.id;

/** `YYYY-MM-DDTHH:mm` in local time, as a datetime-local input takes it (the console runs on this machine's zone). */
const pad = (n: number) => String(n).padStart(2, '0');
function localInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

test('a supervisor opens a ticket: one timeline, oldest first, in words; it leads to the card (axe on the timeline)', async ({ signIn, shell, lookup, audit, page }) => {
  test.slow(); // an axe scan in both schemes and three real actions
  await signIn.signInAs('sam');
  await workTheTicket(page);
  await shell.open('Audit');
  const ticket = new TicketPage(page);
  await ticket.open(TICKET);
  await expect(ticket.timeline(TICKET)).toContainText(`Ticket ${TICKET}: 3 entries, oldest first.`);
  expect(await ticket.sentences(TICKET)).toEqual([
    `Checked the caller's details on card ${grouped(emailCard.serial)}: verified`,
    `Redeemed card ${grouped(usCard.serial)} ($200.00) to account ${us}`,
    `Requested a manual credit of $5.00 to account ${us} (goodwill)`,
  ]);
  await expectAccessible(page, 'Audit: ticket timeline');

  // An entry's details from the timeline, then on to the card it names.
  await ticket.timeline(TICKET).getByRole('button', { name: /^Details of entry/ }).nth(1).click();
  await expect(audit.drawer).toContainText(`Redeemed card ${grouped(usCard.serial)}`);
  await audit.closeDrawer();
  await ticket.timeline(TICKET).getByRole('button', { name: `Open card ${grouped(usCard.serial)}` }).click();
  await lookup.expectCard(grouped(usCard.serial));

  // An unknown ticket says so.
  await shell.open('Audit');
  await expect(ticket.timeline(TICKET)).toBeVisible(); // the tab and the ticket survive navigation
  await ticket.ticketField.fill('T-NOTHING-HERE');
  await ticket.ticketField.press('Enter');
  await expect(page.getByText('Nothing was done under ticket T-NOTHING-HERE.')).toBeVisible();
});

test('filters by user and time; a bad range is said under the field; the filter survives navigation (axe on the filtered screen)', async ({
  signIn,
  shell,
  lookup,
  audit,
  page,
}) => {
  test.slow(); // two sign-ins, five searches and an axe scan in both schemes
  await signIn.signInAs('ava');
  await lookup.search(usCard.serial);
  await lookup.expectCard(grouped(usCard.serial));
  await shell.signOut();
  await signIn.signInAs('sam');
  await shell.open('Audit');
  await expect(audit.rows.first()).toBeVisible();
  const all = await audit.entries();
  expect(new Set(all.map((e) => e.actor))).toEqual(new Set(['ava', 'sam', 'system']));

  const now = new Date();
  await audit.filter({ User: 'ava', 'From (your local time)': localInput(new Date(now.getTime() - 60 * 60_000)), 'Until (your local time)': localInput(new Date(now.getTime() + 60 * 60_000)) });
  await expect(audit.summary).toContainText('by ava');
  await expect.poll(async () => (await audit.entries()).map((e) => e.actor)).not.toContain('sam');
  const avas = await audit.entries();
  expect(avas.map((e) => e.action)).toEqual(['session.signOut', 'card.lookup', 'session.signIn']);
  expect(avas.every((e) => e.actor === 'ava')).toBe(true);
  await expectAccessible(page, 'Audit: filtered by user and time');

  // Leave and come back: the same filter, the same results.
  await shell.open('Lookup');
  await shell.open('Audit');
  await expect(audit.field('User')).toHaveValue('ava');
  await expect(audit.summary).toContainText('by ava');
  expect(await audit.entries()).toEqual(avas);

  // A range before anything happened finds nothing; a backwards range is refused on the form.
  await audit.filter({ 'Until (your local time)': localInput(new Date(now.getTime() - 30 * 60_000)) });
  await expect(page.getByText('No entries match this filter.')).toBeVisible();
  await audit.field('From (your local time)').fill(localInput(new Date(now.getTime() + 60 * 60_000)));
  await audit.filterForm.getByRole('button', { name: 'Search' }).click();
  await expect(audit.filterForm).toContainText('The "to" time must be after the "from" time.');

  // Action prefix: every card action, by anyone.
  await audit.clear();
  await expect(audit.field('User')).toHaveValue('');
  await audit.filter({ 'Action (starts with)': 'card.' });
  await expect(audit.summary).toContainText('actions starting with “card.”');
  expect((await audit.entries()).map((e) => e.action)).toEqual(['card.lookup']);
});

test('the drawer says an entry in words with links to its ticket and account; a card and an account link to their audit trail', async ({ signIn, lookup, audit, page }) => {
  test.slow(); // three real actions, four screens and an axe scan in both schemes
  await signIn.signInAs('sam');
  await workTheTicket(page);

  // From the card: its audit trail (the Audit screen filtered to its serial).
  await lookup.search(usCard.serial);
  await lookup.expectCard(grouped(usCard.serial));
  await page.getByRole('button', { name: `Audit trail of card ${grouped(usCard.serial)}` }).click();
  await expect(audit.field('Card serial or account id')).toHaveValue(usCard.serial);
  await expect(audit.summary).toContainText(`about ${usCard.serial}`);
  expect((await audit.entries()).map((e) => e.action)).toEqual(['card.lookup', 'card.redeemed']);

  // The account's trail holds the credit request; its drawer, in words.
  await audit.filter({ 'Card serial or account id': '', 'Action (starts with)': 'credit.' });
  await audit.openRow(audit.rows.filter({ hasText: 'credit.requested' }).first());
  await expect(audit.drawer).toContainText(`Requested a manual credit of $5.00 to account ${us} (goodwill).`);
  await expect(audit.detail('Amount')).toHaveText('$5.00');
  await expect(audit.detail('Account id')).toHaveText(us);
  await expect(audit.detail('Reason')).toHaveText('GOODWILL');
  await expect(audit.detail('Required approvals')).toHaveText('1');
  await expect(audit.drawer).not.toContainText('{"');
  await expect(audit.drawer.getByRole('group', { name: 'Hash' })).toContainText(/[0-9a-f]{64}/);
  await expectAccessible(page, 'Audit: entry drawer');

  // Its ticket's timeline, and from there the account.
  await audit.drawer.getByRole('button', { name: `Ticket ${TICKET} timeline` }).click();
  const ticket = new TicketPage(page);
  await expect(ticket.timeline(TICKET)).toContainText(`Ticket ${TICKET}: 3 entries, oldest first.`);
  await ticket.timeline(TICKET).getByRole('button', { name: `Open account ${us}` }).last().click();
  const accounts = new AccountsPage(page);
  await expect(accounts.account).toBeVisible();
  await page.getByRole('button', { name: `Audit trail of account ${us}` }).click();
  await expect(audit.summary).toContainText(`about ${us}`);
});

test('from the keyboard: Tab to the entries, arrows move, Enter opens the entry, Escape closes it; Export CSV with the dialog closed says nothing', async ({
  signIn,
  shell,
  audit,
  page,
}) => {
  await signIn.signInAs('sam');
  await shell.open('Audit');
  await expect(audit.rows.first()).toBeVisible();
  await audit.filterForm.getByRole('button', { name: 'Clear' }).focus();
  // Clear → Export CSV → the grid's one tab stop (its first row).
  await page.keyboard.press('Tab');
  await expect(audit.exportButton).toBeFocused();
  // No file named for this launch: the save dialog is closed without a path, and nothing is said.
  await page.keyboard.press('Enter');
  await expect(audit.exportButton).not.toHaveAttribute('data-loading');
  await expect(audit.exported).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.keyboard.press('Tab');
  await expect(audit.rows.first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(audit.rows.nth(1)).toBeFocused();
  const second = await audit.rows.nth(1).getByRole('gridcell').first().innerText();
  await page.keyboard.press('Enter');
  await expect(audit.drawer).toBeVisible();
  await expect(audit.drawer).toContainText(`Audit entry #${second}`);
  await page.keyboard.press('Escape');
  await expect(audit.drawer).toBeHidden();
});

test('an agent cannot reach Audit: no screen, no audit-trail link, and the channel refuses', async ({ signIn, shell, lookup, page }) => {
  await signIn.signInAs('ava');
  expect(await shell.screens()).not.toContain('Audit');
  await lookup.search(usCard.serial);
  await lookup.expectCard(grouped(usCard.serial));
  await expect(page.getByRole('button', { name: /Audit trail/ })).toHaveCount(0);
  const answer = await answerFromPage(page, 'audit:list', { ticketId: TICKET, limit: 10 });
  expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});

test('100 000 entries: the grid keeps a bounded number of rows in the DOM while scrolling far, loading older pages as it goes', async ({
  signIn,
  shell,
  audit,
  page,
  storeSetup,
}, testInfo) => {
  test.slow();
  const target = storeSetup.pg ? { pg: storeSetup.pg } : { sqliteDir: testInfo.outputPath('giftdesk-data') };
  const actors = ['ava', 'sam', 'sky'];
  const serials = Object.values(demo.cards).map((c) => c.serial);
  const started = Date.now();
  const seeded = await seedAuditEntries(target, 100_000, (i) => ({
    actor: actors[i % 3]!,
    action: i % 2 ? 'card.lookup' : 'card.balanceInquiry',
    subjectType: 'card',
    subjectId: serials[i % serials.length]!,
    ticketId: null,
    details: { found: true, status: 'active' },
  }));
  testInfo.annotations.push({ type: 'seeded', description: `100 000 entries in ${Date.now() - started} ms (${projectSettings(testInfo).store})` });

  await signIn.signInAs('sam');
  await shell.open('Audit');
  await expect(audit.rows.first()).toBeVisible();
  const bounded = async () => {
    const count = await audit.rows.count();
    expect(count).toBeGreaterThan(5);
    expect(count).toBeLessThan(60);
  };
  await bounded();
  // Scroll to the end again and again: each time older pages load, and the DOM stays small.
  let loaded = 0;
  for (let round = 0; round < 8; round++) {
    await audit.scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(async () => Number((await audit.summary.innerText()).match(/^([\d,]+)/)?.[1]?.replaceAll(',', '') ?? 0)).toBeGreaterThan(loaded);
    loaded = Number((await audit.summary.innerText()).match(/^([\d,]+)/)![1]!.replaceAll(',', ''));
    await bounded();
  }
  expect(loaded).toBeGreaterThanOrEqual(1_600);
  // Far down the loaded list, the rows shown are the old ones (sequence numbers far below the head).
  const seqs = (await audit.rows.evaluateAll((rows) => rows.map((r) => Number(r.querySelector('[role=gridcell]')?.textContent)))).filter(Boolean);
  expect(Math.max(...seqs)).toBeLessThan(seeded.last - 1_000);
  await expect(audit.table).toHaveAttribute('aria-rowcount', '-1');

  // The keyboard loads more too: End on the grid jumps to the last loaded row and asks for older ones.
  await audit.rows.first().focus();
  await page.keyboard.press('End');
  await expect.poll(async () => Number((await audit.summary.innerText()).match(/^([\d,]+)/)?.[1]?.replaceAll(',', '') ?? 0)).toBeGreaterThan(loaded);
  await bounded();
});
