import { Alert, Button, Paper, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api';
import { DecisionDialog, type Decision } from '../components/credits/DecisionDialog';
import { QueueItem } from '../components/credits/QueueItem';
import { ScreenHeader } from '../components/ScreenHeader';
import { creditQueries } from '../data/credits';
import { useSession } from '../session';

/** Supervisors: pending manual credits, oldest first. */
export function ApprovalsScreen() {
  const { session } = useSession();
  const queue = useQuery(creditQueries.queue());
  const [decision, setDecision] = useState<Decision | null>(null);
  const requests = queue.data?.requests;
  const list = useRef<HTMLDivElement>(null);
  // A decided request leaves the queue with the button that had the focus: a keyboard
  // user goes on from the request that takes its place (or the last one), not from the top.
  const [leaving, setLeaving] = useState<{ id: number; index: number } | null>(null);
  const moved = useRef<number | null>(null);
  useEffect(() => {
    if (!leaving || moved.current === leaving.id || !requests || requests.some((r) => r.id === leaving.id)) return;
    moved.current = leaving.id;
    const items = list.current?.querySelectorAll<HTMLElement>('article') ?? [];
    const next = items[Math.min(leaving.index, items.length - 1)];
    (next ?? list.current)?.focus();
  }, [leaving, requests]);

  return (
    <Stack maw={1100}>
      <ScreenHeader
        title="Approvals"
        description="Manual credits waiting for a supervisor, oldest first. Nobody approves their own request."
        actions={
          <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => void queue.refetch()}>
            Refresh
          </Button>
        }
      />
      {queue.error && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load the queue" role="alert">
          {errorMessage(queue.error)}
        </Alert>
      )}
      {queue.data?.requests.length === 0 && (
        <Paper withBorder radius="lg" p="xl">
          <Text c="dimmed" ta="center">
            Nothing is waiting for approval.
          </Text>
        </Paper>
      )}
      <Stack aria-label="Approval queue" ref={list} tabIndex={-1}>
        {(queue.data?.requests ?? []).map((request) => (
          <QueueItem key={request.id} request={request} me={session?.user.username ?? ''} onDecide={setDecision} />
        ))}
      </Stack>
      <DecisionDialog
        decision={decision}
        onClose={() => setDecision(null)}
        onDecided={(request) => setLeaving({ id: request.id, index: Math.max(requests?.findIndex((r) => r.id === request.id) ?? 0, 0) })}
      />
    </Stack>
  );
}
