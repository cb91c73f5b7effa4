import {
  Alert,
  Badge,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconAlertCircle, IconLock } from '@tabler/icons-react';
import { useRef, useState, type FormEvent } from 'react';
import { roleLabels } from '../../../shared/roles';
import type { AppInfo } from '../../../shared/types';
import { call, CallError, errorMessage } from '../api';
import { Logo } from '../components/Logo';
import { formatTime } from '../format';
import { useSession } from '../session';

export function SignInScreen({ info }: { info: AppInfo }) {
  const { signedIn, endedBecause } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; message: string; locked: boolean } | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      signedIn(await call((api) => api.session.signIn({ username, password })));
    } catch (failure) {
      setPassword('');
      if (failure instanceof CallError && failure.code === 'SIGN_IN_LOCKED') {
        const until = typeof failure.details?.['lockedUntil'] === 'string' ? formatTime(failure.details['lockedUntil']) : null;
        setError({
          title: 'Signing in is locked',
          message: `Too many failed attempts for this user.${until ? ` Try again after ${until}` : ''}, or ask a supervisor.`,
          locked: true,
        });
      } else if (failure instanceof CallError && failure.code === 'VALIDATION_FAILED') {
        setError({ title: 'Check the form', message: failure.message, locked: false });
      } else if (failure instanceof CallError && failure.code === 'SIGN_IN_FAILED') {
        setError({ title: 'Sign-in failed', message: failure.message, locked: false });
      } else {
        setError({ title: 'Sign-in failed', message: errorMessage(failure), locked: false });
      }
      passwordRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center component="main" mih="100%" p="xl" bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-8))">
      <Stack w={420} gap="lg">
        <Center>
          <Logo size="lg" />
        </Center>
        <Paper withBorder shadow="sm" p="xl" radius="lg">
          <form onSubmit={submit} aria-label="Sign in">
            <Stack>
              <div>
                <Title order={1} fz={22}>
                  Sign in
                </Title>
                <Text size="sm" c="dimmed">
                  Gift-card support console
                </Text>
              </div>
              {endedBecause && !error && (
                <Alert color="yellow" icon={<IconLock aria-hidden />} role="status">
                  {endedBecause}
                </Alert>
              )}
              {error && (
                <Alert
                  color={error.locked ? 'orange' : 'red'}
                  title={error.title}
                  icon={error.locked ? <IconLock aria-hidden /> : <IconAlertCircle aria-hidden />}
                  role="alert"
                >
                  {error.message}
                </Alert>
              )}
              <TextInput
                label="Username"
                autoComplete="username"
                autoFocus
                required
                value={username}
                onChange={(e) => setUsername(e.currentTarget.value)}
              />
              <PasswordInput
                ref={passwordRef}
                label="Password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <Button type="submit" loading={busy} fullWidth mt="xs">
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
        {info.demoUsers && (
          <Paper withBorder p="md" radius="lg">
            <Group justify="space-between" mb="xs">
              <Text fw={600} size="sm">
                Demo sign-ins
              </Text>
              <Badge variant="light" color="grape" size="sm">
                demo data
              </Badge>
            </Group>
            <Table aria-label="Demo sign-ins" verticalSpacing={4} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>User</Table.Th>
                  <Table.Th>Password</Table.Th>
                  <Table.Th>Role</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {info.demoUsers.map((user) => (
                  <Table.Tr key={user.username}>
                    <Table.Td>
                      <UnstyledButton
                        fz="sm"
                        c="indigo"
                        aria-label={`Use ${user.username}`}
                        onClick={() => {
                          setUsername(user.username);
                          setPassword(user.password);
                          passwordRef.current?.focus();
                        }}
                      >
                        {user.username}
                      </UnstyledButton>
                    </Table.Td>
                    <Table.Td ff="monospace">{user.password}</Table.Td>
                    <Table.Td>{roleLabels[user.role]}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        )}
        <Text size="xs" c="dimmed" ta="center">
          Giftdesk {info.version} · {info.store === 'postgres' ? 'team store' : 'local store'}
        </Text>
      </Stack>
    </Center>
  );
}
