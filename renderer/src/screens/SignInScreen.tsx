import {
  Alert,
  Badge,
  Button,
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
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconLock } from '@tabler/icons-react';
import { useRef, useState, type FormEvent } from 'react';
import { roleLabels } from '../../../shared/roles';
import type { AppInfo, DemoUser } from '../../../shared/types';
import { CallError, errorMessage } from '../api';
import { PublicScreenFrame, VersionLine } from '../components/PublicScreenFrame';
import { applyServerErrors, contractForm, inputSchema } from '../data/forms';
import { formatTime } from '../format';
import { useSession, useSignIn } from '../session';

const signInSchema = inputSchema('session:signIn', ['username', 'password']);

interface Problem {
  title: string;
  message: string;
  locked: boolean;
}

/** A refused sign-in in words (nothing says whether the user exists). */
function problemOf(failure: unknown): Problem {
  if (failure instanceof CallError && failure.code === 'SIGN_IN_LOCKED') {
    const until = typeof failure.details?.['lockedUntil'] === 'string' ? formatTime(failure.details['lockedUntil']) : null;
    return {
      title: 'Signing in is locked',
      message: `Too many failed attempts for this user.${until ? ` Try again after ${until}` : ''}, or ask a supervisor.`,
      locked: true,
    };
  }
  if (failure instanceof CallError && failure.code === 'VALIDATION_FAILED') return { title: 'Check the form', message: failure.message, locked: false };
  return { title: 'Sign-in failed', message: errorMessage(failure), locked: false };
}

/** The demo dataset's sign-ins, offered while their published passwords still work; a name fills the form. */
function DemoSignIns({ users, onPick }: { users: DemoUser[]; onPick: (user: DemoUser) => void }) {
  return (
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
          {users.map((user) => (
            <Table.Tr key={user.username}>
              <Table.Td>
                <UnstyledButton fz="sm" c="indigo" aria-label={`Use ${user.username}`} onClick={() => onPick(user)}>
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
  );
}

export function SignInScreen({ info }: { info: AppInfo }) {
  const { endedBecause } = useSession();
  const signIn = useSignIn();
  // Errors show on submit (and clear as the field changes), as the agent expects.
  const form = useForm(contractForm(signInSchema, { username: '', password: '' }, { validateInputOnBlur: false }));
  // A fresh alert per answer: the one shown belongs to the latest attempt.
  const [problem, setProblem] = useState<(Problem & { attempt: number }) | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  function send(values: { username: string; password: string }) {
    if (signIn.isPending) return;
    setProblem(null);
    signIn.mutate(values, {
      onError: (failure) => {
        form.setFieldValue('password', '');
        if (!applyServerErrors(form, failure)) setProblem({ ...problemOf(failure), attempt: Date.now() });
        passwordRef.current?.focus();
      },
    });
  }

  // Validated by the contract's schema first; `required` lets the browser flag empty fields.
  const submit = (event: FormEvent<HTMLFormElement>) => form.onSubmit(send)(event);

  return (
    <PublicScreenFrame
      width={420}
      after={
        <>
          {info.demoUsers && (
            <DemoSignIns
              users={info.demoUsers}
              onPick={(user) => {
                form.setValues({ username: user.username, password: user.password });
                passwordRef.current?.focus();
              }}
            />
          )}
          <VersionLine info={info} />
        </>
      }
    >
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
          {endedBecause && !problem && (
            <Alert color="yellow" icon={<IconLock aria-hidden />} role="status">
              {endedBecause}
            </Alert>
          )}
          {problem && (
            <Alert
              key={problem.attempt}
              color={problem.locked ? 'orange' : 'red'}
              title={problem.title}
              icon={problem.locked ? <IconLock aria-hidden /> : <IconAlertCircle aria-hidden />}
              role="alert"
            >
              {problem.message}
            </Alert>
          )}
          <TextInput
            label="Username"
            autoComplete="username"
            autoFocus
            required
            {...form.getInputProps('username')}
          />
          <PasswordInput
            ref={passwordRef}
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={signIn.isPending} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </PublicScreenFrame>
  );
}
