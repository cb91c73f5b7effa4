import { Alert, Button, Code, Group, List, Paper, ScrollArea, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconRefresh, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditEntryView, AuditVerification } from '../../../shared/types';
import { errorMessage } from '../api';
import { ScreenHeader } from '../components/ScreenHeader';
import { auditQueries, useVerifyAudit } from '../data/audit';
import { formatDateTime } from '../format';

function VerificationResult({ verification }: { verification: AuditVerification }) {
  return verification.intact ? (
    <Alert color="green" icon={<IconShieldCheck aria-hidden />} title="Audit chain intact" role="status">
      All {verification.checked} entries match their hashes.
    </Alert>
  ) : (
    <Alert color="red" icon={<IconShieldX aria-hidden />} title="Audit chain broken" role="alert">
      {verification.brokenCount === 1
        ? `1 broken link in ${verification.checked} entries:`
        : `${verification.brokenCount} broken links in ${verification.checked} entries:`}
      <List size="sm" mt={4}>
        {verification.broken.map((link) => (
          <List.Item key={link.seq}>
            Entry {link.seq}: {link.reason}.
          </List.Item>
        ))}
      </List>
      {verification.brokenCount > verification.broken.length && (
        <Text size="sm">…and {verification.brokenCount - verification.broken.length} more (the command line lists them too).</Text>
      )}
    </Alert>
  );
}

function EntryRow({ entry }: { entry: AuditEntryView }) {
  return (
    <Table.Tr>
      <Table.Td>{entry.seq}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</Table.Td>
      <Table.Td>{entry.actor ?? <Text span c="dimmed">system</Text>}</Table.Td>
      <Table.Td>
        <Code>{entry.action}</Code>
      </Table.Td>
      <Table.Td className="serial">{entry.subjectId ?? ''}</Table.Td>
      <Table.Td>{entry.ticketId ?? ''}</Table.Td>
      <Table.Td>
        <Text size="xs" ff="monospace" c="dimmed" lineClamp={2}>
          {Object.keys(entry.details).length ? JSON.stringify(entry.details) : ''}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** The audit log, newest first, a page at a time; the chain can be verified from here. */
export function AuditScreen() {
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  // The filter applies when asked (Enter, Refresh), not at each keystroke.
  const [action, setAction] = useState('');
  const log = useInfiniteQuery(auditQueries.list(action));
  const verify = useVerifyAudit();
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];

  function refresh() {
    const next = typed.trim();
    // Asked again for the same filter: start over from the newest page.
    if (next === action) void queryClient.resetQueries({ queryKey: auditQueries.list(action).queryKey, exact: true });
    else setAction(next);
  }

  return (
    <Stack maw={1200}>
      <ScreenHeader
        title="Audit log"
        description="Every sign-in, lookup and change, newest first. Entries are hash-chained and cannot be edited."
        actions={
          <Button leftSection={<IconShieldCheck size={18} aria-hidden />} onClick={() => verify.mutate()} loading={verify.isPending}>
            Verify chain
          </Button>
        }
      />
      {verify.data && <VerificationResult verification={verify.data} />}
      {verify.error && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not verify the audit chain" role="alert">
          {errorMessage(verify.error)}
        </Alert>
      )}
      {log.error && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load the audit log" role="alert">
          {errorMessage(log.error)}
        </Alert>
      )}
      <Paper withBorder radius="lg" p="md">
        <Group mb="sm" align="flex-end">
          <TextInput
            label="Action"
            placeholder="e.g. card.lookup"
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') refresh();
            }}
          />
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} aria-hidden />}
            onClick={refresh}
            loading={log.isFetching && !log.isFetchingNextPage}
          >
            Refresh
          </Button>
        </Group>
        <ScrollArea viewportProps={{ tabIndex: 0 }}>
          <Table striped highlightOnHover aria-label="Audit entries" fz="sm" miw={900}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Time</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Subject</Table.Th>
                <Table.Th>Ticket</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry) => (
                <EntryRow key={entry.seq} entry={entry} />
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        {log.isSuccess && entries.length === 0 && (
          <Text c="dimmed" ta="center" py="lg">
            No entries{action ? ` for action ${action}` : ''}.
          </Text>
        )}
        {log.hasNextPage && (
          <Group justify="center" mt="sm">
            <Button variant="subtle" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
              Load older entries
            </Button>
          </Group>
        )}
      </Paper>
    </Stack>
  );
}
