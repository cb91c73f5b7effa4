import {
  ActionIcon,
  AppShell,
  Avatar,
  Badge,
  Center,
  Group,
  Menu,
  NavLink,
  Stack,
  Text,
  Title,
  Tooltip,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { IconChevronDown, IconLogout, IconMoon, IconSun } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { call } from '../api';
import { onCreditsChanged } from '../creditsEvents';
import { roleLabels } from '../../../shared/roles';
import type { AppInfo, SessionInfo } from '../../../shared/types';
import { Logo } from '../components/Logo';
import { screensFor } from '../navigation';
import { useSession } from '../session';
import { NavigationContext, type Navigation, type ScreenParams } from './navigation';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');
}

export function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const next = scheme === 'dark' ? 'light' : 'dark';
  const label = `Switch to ${next} colour scheme`;
  return (
    <Tooltip label={label}>
      <ActionIcon variant="default" size="lg" aria-label={label} onClick={() => setColorScheme(next)}>
        {scheme === 'dark' ? <IconSun size={18} aria-hidden /> : <IconMoon size={18} aria-hidden />}
      </ActionIcon>
    </Tooltip>
  );
}

const BADGE_POLL_MS = 20_000;

/** Credit requests awaiting this supervisor: polled on a passive channel (not activity for the idle lock). */
function useAwaitingApproval(enabled: boolean): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    const refresh = () =>
      void call((api) => api.credits.pendingCount()).then(
        (r) => live && setCount(r.awaitingMe),
        () => undefined,
      );
    refresh();
    const timer = setInterval(refresh, BADGE_POLL_MS);
    const unsubscribe = onCreditsChanged(refresh);
    return () => {
      live = false;
      clearInterval(timer);
      unsubscribe();
    };
  }, [enabled]);
  return count;
}

export function Shell({ info, session }: { info: AppInfo; session: SessionInfo }) {
  const { signOut } = useSession();
  const role = session.user.role;
  const available = useMemo(() => screensFor(role), [role]);
  // `visit` counts navigations, so opening a screen with new parameters remounts it.
  const [location, setLocation] = useState<{ screen: string; params: ScreenParams; visit: number }>({
    screen: available[0]?.id ?? '',
    params: {},
    visit: 0,
  });
  const screen = available.find((s) => s.id === location.screen) ?? available[0];
  const awaiting = useAwaitingApproval(available.some((s) => s.badge === 'awaitingApproval'));
  const Screen = screen?.component;
  const navigation = useMemo<Navigation>(
    () => ({
      params: location.params,
      navigate: (target, params = {}) => setLocation((current) => ({ screen: target, params, visit: current.visit + 1 })),
      canOpen: (target) => available.some((s) => s.id === target),
    }),
    [location.params, available],
  );

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 232, breakpoint: 0 }} padding="lg">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="sm">
            <Logo />
            <Badge variant="light" color={info.store === 'postgres' ? 'teal' : 'gray'} size="sm">
              {info.store === 'postgres' ? 'Team store' : 'Local store'}
            </Badge>
            {info.demoUsers && (
              <Badge variant="light" color="grape" size="sm">
                Demo data
              </Badge>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ColorSchemeToggle />
            <Menu position="bottom-end" width={220} withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={`Account menu for ${session.user.displayName}`}>
                  <Group gap={8} wrap="nowrap">
                    <Avatar color="indigo" radius="xl" size={34}>
                      {initials(session.user.displayName)}
                    </Avatar>
                    <div>
                      <Text size="sm" fw={600} lh={1.2}>
                        {session.user.displayName}
                      </Text>
                      <Text size="xs" c="dimmed" lh={1.2}>
                        {roleLabels[session.user.role]} · {session.user.username}
                      </Text>
                    </div>
                    <IconChevronDown size={14} aria-hidden />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>Signed in as {session.user.username}</Menu.Label>
                <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void signOut()}>
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" component="nav" aria-label="Main">
        <Stack gap={4}>
          {available.map((entry) => (
            <NavLink
              key={entry.id}
              component="button"
              label={entry.label}
              description={entry.description}
              leftSection={<entry.icon size={20} stroke={1.6} aria-hidden />}
              rightSection={
                entry.badge === 'awaitingApproval' && awaiting > 0 ? (
                  <Badge size="sm" color="red" circle aria-label={`${awaiting} awaiting your approval`}>
                    {awaiting}
                  </Badge>
                ) : undefined
              }
              active={entry.id === screen?.id}
              aria-current={entry.id === screen?.id ? 'page' : undefined}
              onClick={() => navigation.navigate(entry.id)}
            />
          ))}
        </Stack>
      </AppShell.Navbar>

      <AppShell.Main>
        {Screen ? (
          <NavigationContext.Provider value={navigation}>
            <Screen key={`${screen.id}:${location.visit}`} />
          </NavigationContext.Provider>
        ) : (
          <Center h="60vh">
            <Stack align="center" gap={4}>
              <Title order={2}>Nothing to show for your role yet</Title>
              <Text c="dimmed">Ask an administrator which tools your role should have.</Text>
            </Stack>
          </Center>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
