import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { IconAlertCircle } from '@tabler/icons-react';
import type { SessionInfo } from '../../../../shared/types';
import { PASSWORD_RULE } from '../../../../shared/users';
import { applyServerErrors, contractForm, formProblem, inputSchema } from '../../data/forms';
import { setupMutations } from '../../data/users';

/** The contract's rules, and the new password typed twice alike. */
const schema = inputSchema('session:changePassword', ['currentPassword', 'newPassword'])
  .extend({ repeat: z.string() })
  .superRefine((value, ctx) => {
    if (value.repeat !== value.newPassword) ctx.addIssue({ code: 'custom', path: ['repeat'], message: 'The two new passwords differ.' });
  });

/**
 * Changing one's own password: the current one (or the temporary one an admin gave),
 * the new one twice. `onChanged` gets the session as it is now (no longer bound to change).
 */
export function ChangePasswordForm({
  currentLabel = 'Current password',
  onChanged,
  onCancel,
  submitLabel = 'Change password',
}: {
  currentLabel?: string;
  onChanged(session: SessionInfo): void;
  onCancel?: () => void;
  submitLabel?: string;
}) {
  const change = useMutation(setupMutations.changePassword());
  const form = useForm(contractForm(schema, { currentPassword: '', newPassword: '', repeat: '' }));
  const problem = formProblem(form, change.error);

  const send = (values: { currentPassword: string; newPassword: string }) => {
    if (change.isPending) return;
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: onChanged,
        onError: (failure) => {
          form.setFieldValue('currentPassword', '');
          applyServerErrors(form, failure);
        },
      },
    );
  };

  return (
    <form onSubmit={form.onSubmit(send)} aria-label="Change password">
      <Stack>
        {problem && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} title="Password not changed" role="alert">
            {problem}
          </Alert>
        )}
        <PasswordInput label={currentLabel} autoComplete="current-password" required data-autofocus {...form.getInputProps('currentPassword')} />
        <PasswordInput label="New password" autoComplete="new-password" required description={PASSWORD_RULE} {...form.getInputProps('newPassword')} />
        <PasswordInput label="New password again" autoComplete="new-password" required {...form.getInputProps('repeat')} />
        <Text size="xs" c="dimmed">
          A wrong current password counts toward the sign-in lock.
        </Text>
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={change.isPending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
