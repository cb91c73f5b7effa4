import { Alert, Button, Group, Paper, ScrollArea, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPlus, IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { creditReasonLabels, type CreditReason, type CreditStatus } from '../../../shared/credits';
import type { CreditRequestView } from '../../../shared/types';
import { call, errorMessage } from '../api';
import { CreditStatusBadge } from '../components/credits/CreditStatusBadge';
import { RequestCreditDialog, type CreditPrefill } from '../components/credits/RequestCreditDialog';
import { ScreenHeader } from '../components/ScreenHeader';
import { creditsChanged, onCreditsChanged } from '../creditsEvents';
import { formatDateTime, money } from '../format';
import { useNavigation } from '../shell/navigation';

type Filter = 'all' | CreditStatus;

async function fetchMine(filter: Filter): Promise<{ requests: CreditRequestView[] } | { error: string }> {
  try {
    const page = await call((api) => api.credits.list({ mine: true, limit: 100, ...(filter === 'all' ? {} : { status: filter }) }));
    return { requests: page.requests };
  } catch (failure) {
    return { error: errorMessage(failure) };
  }
}

function decision(request: CreditRequestView): string {
  if (request.status === 'approved') return `by ${request.decidedBy ?? ''}${request.decidedAt ? `, ${formatDateTime(request.decidedAt)}` : ''}`;
  if (request.status === 'rejected') return `by ${request.decidedBy ?? ''}: ${request.rejectionReason ?? ''}`;
  if (request.status === 'expired') return `after 7 days without a decision`;
  if (request.status === 'pending') return `expires ${formatDateTime(request.expiresAt)}`;
  return '';
}

async function cancel(request: CreditRequestView) {
  try {
    await call((api) => api.credits.cancel({ requestId: request.id }));
    notifications.show({ color: 'gray', title: 'Request cancelled', message: `Credit request #${request.id} was cancelled.` });
  } catch (failure) {
    notifications.show({ color: 'red', title: 'Not cancelled', message: errorMessage(failure) });
  }
  creditsChanged();
}

/** "My requests": every manual credit I asked for, and a new request. */
export function CreditsScreen() {
  const { params } = useNavigation();
  const prefill: CreditPrefill | null = params['serial'] || params['ticketId']
    ? { serial: params['serial'], ticketId: params['ticketId'], reason: (params['reason'] as CreditReason | undefined) ?? undefined }
    : null;
  const [filter, setFilter] = useState<Filter>('all');
  const [requests, setRequests] = useState<CreditRequestView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [requesting, setRequesting] = useState(prefill !== null);

  const reload = useCallback(async () => {
    const result = await fetchMine(filter);
    if ('error' in result) setError(result.error);
    else {
      setError(null);
      setRequests(result.requests);
    }
  }, [filter]);

  // First load (and on filter change); later reloads come from events and the button.
  useEffect(() => {
    let live = true;
    void fetchMine(filter).then((result) => {
      if (!live) return;
      if ('error' in result) setError(result.error);
      else {
        setError(null);
        setRequests(result.requests);
      }
    });
    return () => {
      live = false;
    };
  }, [filter]);

  useEffect(() => onCreditsChanged(() => void reload()), [reload]);

  return (
    <Stack maw={1200}>
      <ScreenHeader
        title="Manual credits"
        description="Credits you requested for customers. A supervisor approves each one before any money moves."
        actions={
          <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setRequesting(true)}>
            New request
          </Button>
        }
      />
      <Group justify="space-between">
        <SegmentedControl
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          aria-label="Show requests"
          data={[
            { value: 'all', label: 'All' },
            { value: 'pending', label: 'Pending' },
            { value: 'approved', label: 'Approved' },
            { value: 'rejected', label: 'Rejected' },
            { value: 'cancelled', label: 'Cancelled' },
            { value: 'expired', label: 'Expired' },
          ]}
        />
        <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => void reload()}>
          Refresh
        </Button>
      </Group>
      {error && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load your requests" role="alert">
          {error}
        </Alert>
      )}
      <Paper withBorder radius="lg" p="md">
        <ScrollArea viewportProps={{ tabIndex: 0 }}>
          <Table aria-label="My requests" fz="sm" miw={950} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Requested</Table.Th>
                <Table.Th>Account</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>Ticket</Table.Th>
                <Table.Th>Approvals</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Decision</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(requests ?? []).map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.id}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.createdAt)}</Table.Td>
                  <Table.Td>{r.account.id}</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {money(r.amountMinor, r.currency, r.account.marketplace)}
                  </Table.Td>
                  <Table.Td>{creditReasonLabels[r.reason].replace(' (note required)', '')}</Table.Td>
                  <Table.Td>{r.ticketId}</Table.Td>
                  <Table.Td>
                    {r.approvals.length} of {r.requiredApprovals}
                  </Table.Td>
                  <Table.Td>
                    <CreditStatusBadge status={r.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {decision(r)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {r.status === 'pending' && (
                      <Button size="compact-sm" variant="subtle" color="gray" onClick={() => void cancel(r)} aria-label={`Cancel request ${r.id}`}>
                        Cancel
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        {requests !== null && requests.length === 0 && (
          <Text c="dimmed" ta="center" py="lg">
            No requests{filter === 'all' ? ' yet' : ` with status ${filter}`}.
          </Text>
        )}
      </Paper>
      <RequestCreditDialog
        opened={requesting}
        prefill={prefill ?? undefined}
        onClose={() => setRequesting(false)}
        onRequested={() => void reload()}
      />
    </Stack>
  );
}
