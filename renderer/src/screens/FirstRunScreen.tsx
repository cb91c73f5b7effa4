import { Alert, Button, List, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { IconAlertCircle } from '@tabler/icons-react';
import { z } from 'zod';
import type { AppInfo } from '../../../shared/types';
import { DISPLAY_NAME_RULE, PASSWORD_RULE, USERNAME_RULE } from '../../../shared/users';
import { CallError } from '../api';
import { PublicScreenFrame, VersionLine } from '../components/PublicScreenFrame';
import { applyServerErrors, contractForm, formProblem, inputSchema } from '../data/forms';
import { setupMutations } from '../data/users';
import { useSession } from '../session';

const schema = inputSchema('setup:createAdmin', ['username', 'displayName', 'password'])
  .extend({ repeat: z.string() })
  .superRefine((value, ctx) => {
    if (value.repeat !== value.password) ctx.addIssue({ code: 'custom', path: ['repeat'], message: 'The two passwords differ.' });
  });

/**
 * First run: the store has no user. The first administrator is made here and the
 * window is signed in as them. If another console got there first, the main process
 * refuses (FORBIDDEN) and the window goes to the sign-in screen saying so.
 */
export function FirstRunScreen({ info }: { info: AppInfo }) {
  const { signedIn, leaveSetup } = useSession();
  const create = useMutation(setupMutations.createAdmin());
  const form = useForm(contractForm(schema, { username: '', displayName: '', password: '', repeat: '' }));
  const problem = formProblem(form, create.error);

  const send = (values: { username: string; displayName: string; password: string }) => {
    if (create.isPending) return;
    create.mutate(
      { username: values.username, displayName: values.displayName, password: values.password },
      {
        onSuccess: signedIn,
        onError: (failure) => {
          if (failure instanceof CallError && failure.code === 'FORBIDDEN') leaveSetup(failure.message);
          else applyServerErrors(form, failure);
        },
      },
    );
  };

  return (
    <PublicScreenFrame width={460} after={<VersionLine info={info} />}>
      <form onSubmit={form.onSubmit(send)} aria-label="Create the first administrator">
        <Stack>
          <div>
            <Title order={1} fz={22}>
              Welcome to Giftdesk
            </Title>
            <Text size="sm" c="dimmed">
              This store has no users yet. Create the first administrator: they add the rest of the team.
            </Text>
          </div>
          {problem && (
            <Alert color="red" icon={<IconAlertCircle aria-hidden />} title="Not created" role="alert">
              {problem}
            </Alert>
          )}
          <TextInput label="Username" autoComplete="username" autoFocus required {...form.getInputProps('username')} />
          <TextInput label="Display name" autoComplete="name" required {...form.getInputProps('displayName')} />
          <PasswordInput label="Password" autoComplete="new-password" required {...form.getInputProps('password')} />
          <PasswordInput label="Password again" autoComplete="new-password" required {...form.getInputProps('repeat')} />
          <List size="xs" c="dimmed" spacing={2} aria-label="Rules">
            <List.Item>{USERNAME_RULE}</List.Item>
            <List.Item>{DISPLAY_NAME_RULE}</List.Item>
            <List.Item>{PASSWORD_RULE}</List.Item>
          </List>
          <Button type="submit" loading={create.isPending} fullWidth mt="xs">
            Create administrator
          </Button>
        </Stack>
      </form>
    </PublicScreenFrame>
  );
}
