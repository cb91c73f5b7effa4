/**
 * A team console whose team server cannot be reached or trusted shows why, naming the
 * team server, and a Try again, never a blank window; once the server is there, Try
 * again opens the console. A server that cannot open its database says so (the CLI,
 * exit 1) and shows no password. Runs in the `team` project only.
 */
import { writeFile } from 'node:fs/promises';
import { databaseUrl } from '../support/postgres';
import { makeTestCertificate } from '../support/tls';
import { TEST_SECRET_KEY } from '../support/engines';
import { expect, test } from './fixtures';
import { SignInPage } from './pages/SignInPage';
import { StoreErrorPage } from './pages/StoreErrorPage';
import { PG_ADMIN_ENV, TLS_CERT_ENV, TLS_KEY_ENV } from './support/globalSetup';
import { startTeamServer } from './support/teamServer';
import { freePort as closedPort } from '../support/net';


test('the team server is not running yet: the reason and a working Try again', async ({ team, anotherConsole }) => {
  const port = await closedPort();
  const page = await (await anotherConsole({ server: { url: `https://127.0.0.1:${port}` } })).firstWindow();
  const screen = new StoreErrorPage(page);
  await expect(screen.heading).toHaveText('Giftdesk cannot reach the team server');
  await expect(screen.reason).toContainText(`Giftdesk cannot reach the team server at https://127.0.0.1:${port}`);

  await team.startServer({ port });
  await screen.tryAgain.click();
  await new SignInPage(page).signInAs('ava');
});

test('an unreachable server: Try again asks again and says so again', async ({ anotherConsole }) => {
  const page = await (await anotherConsole({ env: { GIFTDESK_SERVER_URL: 'https://127.0.0.1:1' } })).firstWindow();
  const screen = new StoreErrorPage(page);
  await expect(screen.heading).toHaveText('Giftdesk cannot reach the team server');
  await expect(screen.reason).toContainText('Giftdesk cannot reach the team server at https://127.0.0.1:1');
  await screen.tryAgain.click();
  await expect(screen.heading).toHaveText('Giftdesk cannot reach the team server');
  await expect(screen.reason).toContainText('Check that the server is running');
});

test('a console that does not trust the server certificate says so in words, and sends nothing', async ({ team, anotherConsole }, testInfo) => {
  // Another test certificate as the console's CA: the real server's certificate does not chain to it.
  const otherCa = testInfo.outputPath('other-ca.pem');
  await writeFile(otherCa, makeTestCertificate('someone-else').cert);
  const logged = team.server.output().length;
  const page = await (await anotherConsole({ env: { GIFTDESK_SERVER_CA: otherCa } })).firstWindow();
  const screen = new StoreErrorPage(page);
  await expect(screen.heading).toHaveText("Giftdesk does not trust the team server's certificate");
  await expect(screen.reason).toContainText(`The team server at ${team.server.url} presented a certificate this console does not trust`);
  await expect(screen.reason).toContainText('Nothing was sent');
  await expect(screen.hint).toContainText('serverCa');
  // Nothing reached the server: it logged no call from this console at all.
  expect(team.server.output().slice(logged)).not.toMatch(/"channel"/);
});

test('a server whose database does not exist refuses to start and says why, without the password', async ({ team }, testInfo) => {
  void team; // the run's server (and its certificate) exist: only this second one is refused
  const missing = databaseUrl(process.env[PG_ADMIN_ENV]!, 'giftdesk_e2e_missing');
  const started = startTeamServer({
    env: { GIFTDESK_DATABASE_URL: missing, GIFTDESK_SECRET_KEY: TEST_SECRET_KEY },
    dataDir: testInfo.outputPath('refused-server'),
    tls: { certFile: process.env[TLS_CERT_ENV]!, keyFile: process.env[TLS_KEY_ENV]! },
  });
  const refusal = await started.then(
    () => null,
    (error: Error) => error.message,
  );
  expect(refusal).toContain('the team server exited with code 1');
  expect(refusal).toContain('that database does not exist');
  expect(refusal).not.toContain('giftdesk-test'); // the test server's password
});
