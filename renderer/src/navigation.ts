/**
 * The console's screens. Each names the channel it is built on; a screen shows in the
 * navigation when the contract allows the signed-in role to call that channel (the
 * main process enforces the same rule on every call). A new screen is one entry here.
 */
import {
  IconAdjustmentsHorizontal,
  IconChartBar,
  IconChecklist,
  IconCoins,
  IconFileImport,
  IconLifebuoy,
  IconListSearch,
  IconReceiptRefund,
  IconShieldCheck,
  IconUserCog,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import { lazy, type ComponentType } from 'react';
import { contract, type Channel } from '../../shared/contract';
import type { Role } from '../../shared/roles';
import { LookupScreen } from './screens/LookupScreen';

/** A screen in its own chunk, loaded when first shown (or `preload`ed once the console is up). */
function lazyScreen(load: () => Promise<ComponentType>): ComponentType & { preload(): void } {
  let loading: Promise<{ default: ComponentType }> | null = null;
  const start = () =>
    (loading ??= load().then(
      (component) => ({ default: component }),
      (error: unknown) => {
        loading = null; // a later opening tries again
        throw error;
      },
    ));
  return Object.assign(lazy(start), { preload: () => void start() });
}

// Lookup is the first screen of the card desk: it ships in the entry chunk. Every other
// screen (and what only it uses, e.g. the charts on Accounts) loads on demand.
const BalanceScreen = lazyScreen(() => import('./screens/BalanceScreen').then((m) => m.BalanceScreen));
const AccountsScreen = lazyScreen(() => import('./screens/AccountsScreen').then((m) => m.AccountsScreen));
const RecoveryScreen = lazyScreen(() => import('./screens/RecoveryScreen').then((m) => m.RecoveryScreen));
const CreditsScreen = lazyScreen(() => import('./screens/CreditsScreen').then((m) => m.CreditsScreen));
const ApprovalsScreen = lazyScreen(() => import('./screens/ApprovalsScreen').then((m) => m.ApprovalsScreen));
const DashboardScreen = lazyScreen(() => import('./screens/DashboardScreen').then((m) => m.DashboardScreen));
const AuditScreen = lazyScreen(() => import('./screens/AuditScreen').then((m) => m.AuditScreen));
const LimitsScreen = lazyScreen(() => import('./screens/LimitsScreen').then((m) => m.LimitsScreen));
const ImportScreen = lazyScreen(() => import('./screens/ImportScreen').then((m) => m.ImportScreen));
const UsersScreen = lazyScreen(() => import('./screens/UsersScreen').then((m) => m.UsersScreen));

export interface ScreenEntry {
  id: string;
  label: string;
  description: string;
  icon: Icon;
  channel: Channel;
  /** Lazy screens can be fetched ahead of their first opening. */
  component: ComponentType & { preload?: () => void };
  /** Shows the number of credit requests awaiting the signed-in supervisor. */
  badge?: 'awaitingApproval';
}

export const screens: readonly ScreenEntry[] = [
  {
    id: 'lookup',
    label: 'Lookup',
    description: 'Find a card by serial number',
    icon: IconListSearch,
    channel: 'cards:lookup',
    component: LookupScreen,
  },
  {
    id: 'balance',
    label: 'Balance',
    description: 'Is this card still good?',
    icon: IconCoins,
    channel: 'cards:balance',
    component: BalanceScreen,
  },
  {
    id: 'accounts',
    label: 'Accounts',
    description: 'Balances, ledgers, redeem a code',
    icon: IconUsers,
    channel: 'accounts:search',
    component: AccountsScreen,
  },
  {
    id: 'recovery',
    label: 'Recovery',
    description: 'Scratched or unreadable codes',
    icon: IconLifebuoy,
    channel: 'recovery:verify',
    component: RecoveryScreen,
  },
  {
    id: 'credits',
    label: 'Credits',
    description: 'Manual credits I requested',
    icon: IconReceiptRefund,
    channel: 'credits:request',
    component: CreditsScreen,
  },
  {
    id: 'approvals',
    label: 'Approvals',
    description: 'Credits waiting for a supervisor',
    icon: IconChecklist,
    channel: 'credits:approve',
    component: ApprovalsScreen,
    badge: 'awaitingApproval',
  },
  {
    id: 'audit',
    label: 'Audit',
    description: 'Audit log and chain verification',
    icon: IconShieldCheck,
    channel: 'audit:list',
    component: AuditScreen,
  },
  // After Audit: an admin's console still opens on the audit log.
  {
    id: 'dashboard',
    label: 'Dashboard',
    description: 'The desk and the money at a glance',
    icon: IconChartBar,
    channel: 'dashboard:summary',
    component: DashboardScreen,
  },
  {
    id: 'users',
    label: 'Users',
    description: 'Sign-ins, roles and passwords',
    icon: IconUserCog,
    channel: 'users:list',
    component: UsersScreen,
  },
  {
    id: 'limits',
    label: 'Limits',
    description: 'Sign-in, recovery and credit limits',
    icon: IconAdjustmentsHorizontal,
    channel: 'limits:get',
    component: LimitsScreen,
  },
  {
    id: 'import',
    label: 'Import',
    description: 'Bring in a batch of cards (CSV)',
    icon: IconFileImport,
    channel: 'cards:import',
    component: ImportScreen,
  },
];

export function mayUse(role: Role, channel: Channel): boolean {
  const roles = contract[channel].roles;
  return roles === 'public' || (roles as readonly Role[]).includes(role);
}

export function screensFor(role: Role): ScreenEntry[] {
  return screens.filter((screen) => mayUse(role, screen.channel));
}
