import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { CreditRequestView } from '../../../../shared/types';
import { useApproveCredit, useRejectCredit } from '../../data/credits';
import { applyServerErrors, contractForm, formProblem, inputSchema } from '../../data/forms';
import { money } from '../../format';
import { useRequestKey } from '../../requestKey';
import { reasonLabel } from './reasonLabel';

export type Decision = { kind: 'approve' | 'reject'; request: CreditRequestView };

const approveSchema = inputSchema('credits:approve', ['note']);
const rejectSchema = inputSchema('credits:reject', ['reason']);

const amountOf = (request: CreditRequestView) => money(request.amountMinor, request.currency, request.account.marketplace);

interface FormProps {
  request: CreditRequestView;
  onClose(): void;
  /** The decision was recorded (the dialog closes next). */
  onDecided(request: CreditRequestView): void;
}

/** Refused (already decided, over my limit…): said above the buttons; the queue is read again. */
function Refusal({ problem }: { problem: string | null }) {
  if (!problem) return null;
  return (
    <Alert color="red" role="alert" title="Not done">
      {problem}
    </Alert>
  );
}

function Buttons({ label, color, busy, onClose }: { label: string; color: string; busy: boolean; onClose(): void }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose}>
        Cancel
      </Button>
      <Button type="submit" loading={busy} color={color}>
        {label}
      </Button>
    </Group>
  );
}

function ApproveForm({ request, onClose, onDecided }: FormProps) {
  const form = useForm(contractForm(approveSchema, { note: '' }));
  const approve = useApproveCredit();
  const requestKey = useRequestKey();

  const submit = form.onSubmit(({ note }) => {
    const trimmed = note?.trim() ?? '';
    approve.mutate(
      // The same approval (double click, retry) reuses its key and posts once.
      { requestId: request.id, ...(trimmed ? { note: trimmed } : {}), idempotencyKey: requestKey.keyFor(`${request.id}|${trimmed}`) },
      {
        onSuccess: (result) => {
          const posted = result.status === 'approved';
          notifications.show({
            color: 'green',
            title: posted ? 'Credit approved and posted' : 'Approval recorded',
            message: posted
              ? `${amountOf(request)} was added to ${request.account.id}.`
              : `${result.approvals.length} of ${result.requiredApprovals} approvals: a second supervisor must approve.`,
          });
          onDecided(request);
          onClose();
        },
        onError: (failure) => applyServerErrors(form, failure),
      },
    );
  });

  return (
    <form onSubmit={submit} aria-label="Approve a credit">
      <Stack>
        <Summary request={request} />
        <Refusal problem={formProblem(form, approve.error)} />
        <Textarea label="Note (optional)" autosize minRows={2} data-autofocus {...form.getInputProps('note')} />
        <Buttons label="Approve" color="green" busy={approve.isPending} onClose={onClose} />
      </Stack>
    </form>
  );
}

function RejectForm({ request, onClose, onDecided }: FormProps) {
  const form = useForm(contractForm(rejectSchema, { reason: '' }));
  const reject = useRejectCredit();

  const submit = form.onSubmit(({ reason }) =>
    reject.mutate(
      { requestId: request.id, reason: reason.trim() },
      {
        onSuccess: () => {
          notifications.show({ color: 'gray', title: 'Credit rejected', message: `Request #${request.id} (${amountOf(request)}) was rejected.` });
          onDecided(request);
          onClose();
        },
        onError: (failure) => applyServerErrors(form, failure),
      },
    ),
  );

  return (
    <form onSubmit={submit} aria-label="Reject a credit">
      <Stack>
        <Summary request={request} />
        <Refusal problem={formProblem(form, reject.error)} />
        {/* The reason is the one thing this dialog needs: a missing one is announced. */}
        <Textarea label="Reason for rejecting" autosize minRows={2} data-autofocus errorProps={{ role: 'alert' }} {...form.getInputProps('reason')} />
        <Buttons label="Reject" color="red" busy={reject.isPending} onClose={onClose} />
      </Stack>
    </form>
  );
}

function Summary({ request }: { request: CreditRequestView }) {
  return (
    <Text>
      {amountOf(request)} to {request.account.id} · {reasonLabel(request.reason)} · requested by {request.requester.displayName}
    </Text>
  );
}

/** A supervisor approves (with an optional note) or rejects (with a reason the requester sees) one request. */
export function DecisionDialog({
  decision,
  onClose,
  onDecided,
}: {
  decision: Decision | null;
  onClose(): void;
  onDecided(request: CreditRequestView): void;
}) {
  const title = decision ? `${decision.kind === 'approve' ? 'Approve' : 'Reject'} request #${decision.request.id}` : '';
  return (
    <Modal opened={decision !== null} onClose={onClose} title={title} centered>
      {/* Mounted per decision: each opening starts empty, with a new request key. */}
      {decision?.kind === 'approve' && <ApproveForm key={decision.request.id} request={decision.request} onClose={onClose} onDecided={onDecided} />}
      {decision?.kind === 'reject' && <RejectForm key={decision.request.id} request={decision.request} onClose={onClose} onDecided={onDecided} />}
    </Modal>
  );
}
