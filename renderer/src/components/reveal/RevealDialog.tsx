import { Alert, Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconEye } from '@tabler/icons-react';
import { REVEAL_REASON_RULE, REVEAL_VISIBLE_SECONDS, revealFieldLabels, type RevealField } from '../../../../shared/personalData';
import { applyServerErrors, contractForm, formProblem, inputSchema } from '../../data/forms';

const schema = inputSchema('pii:reveal', ['reason', 'ticketId']);

export interface RevealRequest {
  reason: string;
  ticketId: string;
}

interface RevealDialogProps {
  field: RevealField;
  /** "card 1700 …" or "account ACC-US-1001", for the title. */
  subjectLabel: string;
  opened: boolean;
  pending: boolean;
  error: unknown;
  onClose(): void;
  onReveal(request: RevealRequest, onFieldErrors: (error: unknown) => void): void;
}

/** Asks why (and under which ticket) before one field is revealed; both go on record. */
export function RevealDialog({ field, subjectLabel, opened, onClose, ...rest }: RevealDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Reveal the ${revealFieldLabels[field]}`} centered>
      {/* Mounted only while open: each opening starts empty. */}
      <RevealForm field={field} subjectLabel={subjectLabel} onClose={onClose} {...rest} />
    </Modal>
  );
}

function RevealForm({ field, subjectLabel, pending, error, onClose, onReveal }: Omit<RevealDialogProps, 'opened'>) {
  const form = useForm(contractForm(schema, { reason: '', ticketId: '' }));
  const refused = formProblem(form, error);
  const submit = form.onSubmit((values) => {
    if (pending) return;
    onReveal({ reason: values.reason.trim(), ticketId: values.ticketId.trim() }, (failure) => applyServerErrors(form, failure));
  });
  return (
    <form onSubmit={submit} aria-label={`Reveal the ${revealFieldLabels[field]}`}>
      <Stack>
        <Text size="sm">
          The {revealFieldLabels[field]} of {subjectLabel} is shown in full for {REVEAL_VISIBLE_SECONDS} seconds, then masked again. Your name, the
          reason and the ticket go on record; reveals per day are limited.
        </Text>
        {refused && (
          <Alert color="red" role="alert" title="Not revealed">
            {refused}
          </Alert>
        )}
        <Textarea
          label="Reason"
          description={REVEAL_REASON_RULE}
          autosize
          minRows={2}
          required
          data-autofocus
          errorProps={{ role: 'alert' }}
          {...form.getInputProps('reason')}
        />
        <TextInput label="Ticket id" required errorProps={{ role: 'alert' }} {...form.getInputProps('ticketId')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={pending} leftSection={<IconEye size={16} aria-hidden />}>
            Reveal
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
