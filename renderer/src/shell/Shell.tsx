import { AppShell, Badge, Center, Group, Loader, NavLink, Stack, Text, Title } from '@mantine/core';
import { Suspense, useEffect, useMemo, useState } from 'react';
import type { AppInfo, SessionInfo } from '../../../shared/types';
import { Logo } from '../components/Logo';
import { screensFor, type ScreenEntry } from '../navigation';
import { AccountMenu } from './AccountMenu';
import { useAwaitingApproval } from './awaitingApproval';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { NavigationContext, type Navigation, type ScreenParams } from './navigation';
import { usePushedInvalidations } from './pushedEvents';

export function Shell({ info, session }: { info: AppInfo; session: SessionInfo }) {
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
  usePushedInvalidations();
  const navigation = useMemo<Navigation>(
    () => ({
      params: location.params,
      navigate: (target, params = {}) => setLocation((current) => ({ screen: target, params, visit: current.visit + 1 })),
      canOpen: (target) => available.some((s) => s.id === target),
    }),
    [location.params, available],
  );

  // The console is up: fetch the other screens' code now, so a first opening does not wait.
  useEffect(() => {
    for (const entry of available) entry.component.preload?.();
  }, [available]);

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
            <AccountMenu session={session} />
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
        {screen ? (
          <NavigationContext.Provider value={navigation}>
            <Suspense fallback={<ScreenLoading entry={screen} />}>
              <screen.component key={`${screen.id}:${location.visit}`} />
            </Suspense>
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

/** While a screen's code loads (once per screen). */
function ScreenLoading({ entry }: { entry: ScreenEntry }) {
  return (
    <Center h="40vh">
      <Loader aria-label={`Opening ${entry.label}`} />
    </Center>
  );
}
