import { expect, type Locator, type Page } from '@playwright/test';

/** The console frame around every screen: navigation, account menu, colour scheme. */
export class Shell {
  readonly nav: Locator;
  readonly accountMenu: Locator;
  readonly colorSchemeToggle: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.accountMenu = page.getByRole('button', { name: /^Account menu for / });
    this.colorSchemeToggle = page.getByRole('button', { name: /^Switch to (dark|light) colour scheme$/ });
  }

  /** The labels of the screens the navigation offers, in order. */
  async screens(): Promise<string[]> {
    await expect(this.nav).toBeVisible();
    const items = await this.nav.getByRole('button').allInnerTexts();
    return items.map((text) => text.split('\n')[0]!.trim());
  }

  async open(screen: string): Promise<void> {
    await this.nav.getByRole('button', { name: new RegExp(`^${screen}\\b`) }).click();
  }

  async signedInUser(): Promise<string> {
    const name = await this.accountMenu.getAttribute('aria-label');
    return (name ?? '').replace(/^Account menu for /, '');
  }

  async signOut(): Promise<void> {
    await this.accountMenu.click();
    await this.page.getByRole('menuitem', { name: 'Sign out' }).click();
  }

  async switchColorScheme(): Promise<void> {
    await this.colorSchemeToggle.click();
  }

  async colorScheme(): Promise<string | null> {
    return this.page.locator('html').getAttribute('data-mantine-color-scheme');
  }
}
