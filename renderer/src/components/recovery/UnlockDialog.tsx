import { Alert, Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { formatSerial } from '../../../../shared/serial';
import { applyServerErrors, contractForm, formProblem, inputSchema } from '../../data/forms';
import { useUnlockRecovery } from '../../data/recovery';

const schema = inputSchema('recovery:unlock', ['reason']);

interface UnlockDialogProps {
  serial: string;
  opened: boolean;
  onClose(): void;
  onUnlocked(): void;
}

/** A supervisor unlocks recovery for a card, with a reason for the audit log. */
export function UnlockDialog({ serial, opened, onClose, onUnlocked }: UnlockDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Unlock recovery" centered>
      {/* Mounted only while open: each opening starts with an empty reason. */}
      <UnlockForm serial={serial} onClose={onClose} onUnlocked={onUnlocked} />
    </Modal>
  );
}

function UnlockForm({ serial, onClose, onUnlocked }: Omit<UnlockDialogProps, 'opened'>) {
  const form = useForm(contractForm(schema, { reason: '' }));
  const unlock = useUnlockRecovery();
  const refused = formProblem(form, unlock.error);

  const submit = form.onSubmit(({ reason }) =>
    unlock.mutate(
      { serial, reason: reason.trim() },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', title: 'Recovery unlocked', message: `Card ${formatSerial(serial)} can be checked again.` });
          onUnlocked();
        },
        onError: (failure) => applyServerErrors(form, failure),
      },
    ),
  );

  return (
    <form onSubmit={submit} aria-label="Unlock recovery">
      <Stack>
        {refused && (
          <Alert color="red" role="alert">
            {refused}
          </Alert>
        )}
        <Textarea
          label="Reason"
          description="Recorded in the audit log with your name."
          placeholder="e.g. Identity confirmed by call-back to the number on the order"
          autosize
          minRows={2}
          data-autofocus
          // Announced when it appears: the reason is the one thing this dialog needs.
          errorProps={{ role: 'alert' }}
          {...form.getInputProps('reason')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={unlock.isPending} color="orange">
            Unlock
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
