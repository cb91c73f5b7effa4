import { Center, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AppInfo } from '../../../shared/types';
import { Logo } from './Logo';

/**
 * The frame of the screens shown before the console (sign-in, first run, a forced
 * password change): the logo, one card holding the form, and what follows it (demo
 * sign-ins, the version line).
 */
export function PublicScreenFrame({ width, children, after }: { width: number; children: ReactNode; after?: ReactNode }) {
  return (
    <Center component="main" mih="100%" p="xl" bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-8))">
      <Stack w={width} gap="lg">
        <Center>
          <Logo size="lg" />
        </Center>
        <Paper withBorder shadow="sm" p="xl" radius="lg">
          {children}
        </Paper>
        {after}
      </Stack>
    </Center>
  );
}

/** The line under a public screen's card: the version and which store the console is on. */
export function VersionLine({ info }: { info: AppInfo }) {
  return (
    <Text size="xs" c="dimmed" ta="center">
      Giftdesk {info.version} · {info.store === 'postgres' ? 'team store' : 'local store'}
    </Text>
  );
}
