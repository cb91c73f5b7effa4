import { Alert, Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { formatSerial } from '../../../../shared/serial';
import { call, errorMessage } from '../../api';

/** A supervisor unlocks recovery for a card, with a reason for the audit log. */
export function UnlockDialog({ serial, opened, onClose, onUnlocked }: { serial: string; opened: boolean; onClose(): void; onUnlocked(): void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setError('Give the reason for unlocking.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await call((api) => api.recovery.unlock({ serial, reason: reason.trim() }));
      notifications.show({ color: 'green', title: 'Recovery unlocked', message: `Card ${formatSerial(serial)} can be checked again.` });
      setReason('');
      onUnlocked();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Unlock recovery" centered>
      <form onSubmit={submit} aria-label="Unlock recovery">
        <Stack>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Textarea
            label="Reason"
            description="Recorded in the audit log with your name."
            placeholder="e.g. Identity confirmed by call-back to the number on the order"
            autosize
            minRows={2}
            data-autofocus
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} color="orange">
              Unlock
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
