import { Alert, Badge, Button, Collapse, Group, Modal, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconChevronDown, IconRefresh, IconX } from '@tabler/icons-react';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { creditReasonLabels } from '../../../shared/credits';
import type { AccountDetails, CreditRequestView } from '../../../shared/types';
import { call, errorMessage } from '../api';
import { ScreenHeader } from '../components/ScreenHeader';
import { creditsChanged, onCreditsChanged } from '../creditsEvents';
import { formatAge, formatDateTime, money } from '../format';
import { useRequestKey } from '../requestKey';
import { useSession } from '../session';

async function fetchQueue(): Promise<CreditRequestView[] | { error: string }> {
  try {
    return (await call((api) => api.credits.list({ status: 'pending', limit: 100 }))).requests;
  } catch (failure) {
    return { error: errorMessage(failure) };
  }
}

function AccountHistory({ accountId }: { accountId: string }) {
  const [account, setAccount] = useState<AccountDetails | null>(null);
  useEffect(() => {
    let live = true;
    void call((api) => api.accounts.get({ accountId, limit: 5 })).then(
      (a) => live && setAccount(a),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [accountId]);
  if (!account) return <Text size="sm" c="dimmed">Loading the account…</Text>;
  return (
    <Stack gap={4}>
      <Text size="sm">
        Balance {money(account.balanceMinor, account.currency, account.marketplace)} · {account.displayName}
      </Text>
      <Table fz="xs" aria-label={`Recent history of ${accountId}`}>
        <Table.Tbody>
          {account.ledger.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{formatDateTime(e.at)}</Table.Td>
              <Table.Td>{e.type === 'manual_credit' ? `Manual credit · ${e.reason ?? ''}` : e.type === 'redemption' ? 'Redemption' : 'Recovery credit'}</Table.Td>
              <Table.Td ta="right">+{money(e.amountMinor, account.currency, account.marketplace)}</Table.Td>
              <Table.Td>{e.actor ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {account.ledger.length === 0 && (
        <Text size="xs" c="dimmed">
          No ledger entries yet.
        </Text>
      )}
    </Stack>
  );
}

type Decision = { kind: 'approve' | 'reject'; request: CreditRequestView };

function DecisionDialog({ decision, onClose, onDone }: { decision: Decision | null; onClose(): void; onDone(): void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const requestKey = useRequestKey();
  const request = decision?.request;

  function close() {
    setText('');
    setError(null);
    requestKey.reset();
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!decision || !request) return;
    if (decision.kind === 'reject' && text.trim().length < 3) {
      setError('Give the reason for rejecting; the requester sees it.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const money_ = money(request.amountMinor, request.currency, request.account.marketplace);
      if (decision.kind === 'approve') {
        const result = await call((api) =>
          api.credits.approve({
            requestId: request.id,
            ...(text.trim() ? { note: text.trim() } : {}),
            idempotencyKey: requestKey.keyFor(`${request.id}|${text.trim()}`),
          }),
        );
        notifications.show({
          color: 'green',
          title: result.status === 'approved' ? 'Credit approved and posted' : 'Approval recorded',
          message:
            result.status === 'approved'
              ? `${money_} was added to ${request.account.id}.`
              : `${result.approvals.length} of ${result.requiredApprovals} approvals: a second supervisor must approve.`,
        });
      } else {
        await call((api) => api.credits.reject({ requestId: request.id, reason: text.trim() }));
        notifications.show({ color: 'gray', title: 'Credit rejected', message: `Request #${request.id} (${money_}) was rejected.` });
      }
      creditsChanged();
      onDone();
      close();
    } catch (failure) {
      setError(errorMessage(failure));
      creditsChanged();
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened={decision !== null}
      onClose={close}
      title={decision?.kind === 'approve' ? `Approve request #${request?.id ?? ''}` : `Reject request #${request?.id ?? ''}`}
      centered
    >
      <form onSubmit={submit} aria-label={decision?.kind === 'approve' ? 'Approve a credit' : 'Reject a credit'}>
        <Stack>
          {request && (
            <Text>
              {money(request.amountMinor, request.currency, request.account.marketplace)} to {request.account.id} ·{' '}
              {creditReasonLabels[request.reason].replace(' (note required)', '')} · requested by {request.requester.displayName}
            </Text>
          )}
          {error && (
            <Alert color="red" role="alert" title="Not done">
              {error}
            </Alert>
          )}
          <Textarea
            label={decision?.kind === 'approve' ? 'Note (optional)' : 'Reason for rejecting'}
            autosize
            minRows={2}
            data-autofocus
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} color={decision?.kind === 'approve' ? 'green' : 'red'}>
              {decision?.kind === 'approve' ? 'Approve' : 'Reject'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function QueueItem({ request, me, onDecide }: { request: CreditRequestView; me: string; onDecide(d: Decision): void }) {
  const [open, setOpen] = useState(false);
  const mine = request.requester.username === me;
  const approvedByMe = request.approvals.some((a) => a.approver === me);
  return (
    <Paper withBorder radius="lg" p="md" component="article" aria-label={`Credit request ${request.id}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={3} fz="lg">
              {money(request.amountMinor, request.currency, request.account.marketplace)}
            </Title>
            <Text c="dimmed">to {request.account.id}</Text>
            <Badge variant="light" color={request.requiredApprovals === 2 ? 'orange' : 'blue'}>
              {request.approvals.length} of {request.requiredApprovals} approvals
            </Badge>
          </Group>
          <Text size="sm">
            {creditReasonLabels[request.reason].replace(' (note required)', '')} · ticket {request.ticketId}
            {request.serial ? ` · card ${request.serial}` : ''}
          </Text>
          {request.note && (
            <Text size="sm" c="dimmed">
              “{request.note}”
            </Text>
          )}
          <Text size="xs" c="dimmed">
            Requested by {request.requester.displayName} ({request.requester.username}) {formatAge(request.createdAt)}
            {request.approvals.length > 0 ? ` · approved so far by ${request.approvals.map((a) => a.approver).join(', ')}` : ''}
          </Text>
        </Stack>
        <Stack gap={6} align="flex-end">
          <Group gap="xs" wrap="nowrap">
            <Button
              color="green"
              leftSection={<IconCheck size={16} aria-hidden />}
              disabled={mine || approvedByMe}
              onClick={() => onDecide({ kind: 'approve', request })}
            >
              Approve
            </Button>
            <Button color="red" variant="light" leftSection={<IconX size={16} aria-hidden />} onClick={() => onDecide({ kind: 'reject', request })}>
              Reject
            </Button>
          </Group>
          {mine && (
            <Text size="xs" c="orange">
              You requested this — another supervisor must approve it.
            </Text>
          )}
          {approvedByMe && !mine && (
            <Text size="xs" c="dimmed">
              You approved it; waiting for a second supervisor.
            </Text>
          )}
        </Stack>
      </Group>
      <Button variant="subtle" size="compact-sm" mt="xs" rightSection={<IconChevronDown size={14} aria-hidden />} onClick={() => setOpen((o) => !o)}>
        {open ? 'Hide the account' : "The account's recent history"}
      </Button>
      <Collapse expanded={open}>{open && <AccountHistory accountId={request.account.id} />}</Collapse>
    </Paper>
  );
}

/** Supervisors: pending manual credits, oldest first. */
export function ApprovalsScreen() {
  const { session } = useSession();
  const [queue, setQueue] = useState<CreditRequestView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [decision, setDecision] = useState<Decision | null>(null);

  const reload = useCallback(async () => {
    const result = await fetchQueue();
    if ('error' in result) setError(result.error);
    else {
      setError(null);
      setQueue(result);
    }
  }, []);

  // First load; later reloads come from events and the button.
  useEffect(() => {
    let live = true;
    void fetchQueue().then((result) => {
      if (!live) return;
      if ('error' in result) setError(result.error);
      else {
        setError(null);
        setQueue(result);
      }
    });
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => onCreditsChanged(() => void reload()), [reload]);

  return (
    <Stack maw={1100}>
      <ScreenHeader
        title="Approvals"
        description="Manual credits waiting for a supervisor, oldest first. Nobody approves their own request."
        actions={
          <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => void reload()}>
            Refresh
          </Button>
        }
      />
      {error && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load the queue" role="alert">
          {error}
        </Alert>
      )}
      {queue !== null && queue.length === 0 && (
        <Paper withBorder radius="lg" p="xl">
          <Text c="dimmed" ta="center">
            Nothing is waiting for approval.
          </Text>
        </Paper>
      )}
      <Stack aria-label="Approval queue">
        {(queue ?? []).map((request) => (
          <QueueItem key={request.id} request={request} me={session?.user.username ?? ''} onDecide={setDecision} />
        ))}
      </Stack>
      <DecisionDialog decision={decision} onClose={() => setDecision(null)} onDone={() => void reload()} />
    </Stack>
  );
}
