import { Alert, Button, Code, Group, Paper, ScrollArea, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconRefresh, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { AuditEntryView, AuditVerification } from '../../../shared/types';
import { call, errorMessage } from '../api';
import { ScreenHeader } from '../components/ScreenHeader';
import { formatDateTime } from '../format';

const PAGE = 50;

type Page = { entries: AuditEntryView[]; next: number | null } | { error: string };

async function fetchPage(action: string, beforeSeq?: number): Promise<Page> {
  try {
    const page = await call((api) =>
      api.audit.list({ limit: PAGE, ...(beforeSeq ? { beforeSeq } : {}), ...(action.trim() ? { action: action.trim() } : {}) }),
    );
    return { entries: page.entries, next: page.nextBeforeSeq };
  } catch (failure) {
    return { error: errorMessage(failure) };
  }
}

export function AuditScreen() {
  const [entries, setEntries] = useState<AuditEntryView[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [action, setAction] = useState('');
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [verifying, setVerifying] = useState(false);

  function show(page: Page, append: boolean) {
    if ('error' in page) setError(page.error);
    else {
      setError(null);
      setEntries((current) => (append ? [...current, ...page.entries] : page.entries));
      setNext(page.next);
    }
    setLoading(false);
  }

  async function load(beforeSeq?: number) {
    setLoading(true);
    show(await fetchPage(action, beforeSeq), beforeSeq !== undefined);
  }

  useEffect(() => {
    let live = true;
    void fetchPage('').then((page) => {
      if (!live) return;
      if ('error' in page) setError(page.error);
      else {
        setEntries(page.entries);
        setNext(page.next);
      }
      setLoading(false);
    });
    return () => {
      live = false;
    };
  }, []);

  async function verify() {
    setVerifying(true);
    try {
      setVerification(await call((api) => api.audit.verify()));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setVerifying(false);
    }
  }

  return (
    <Stack maw={1200}>
      <ScreenHeader
        title="Audit log"
        description="Every sign-in, lookup and change, newest first. Entries are hash-chained and cannot be edited."
        actions={
          <Button leftSection={<IconShieldCheck size={18} aria-hidden />} onClick={() => void verify()} loading={verifying}>
            Verify chain
          </Button>
        }
      />
      {verification &&
        (verification.intact ? (
          <Alert color="green" icon={<IconShieldCheck aria-hidden />} title="Audit chain intact" role="status">
            All {verification.checked} entries match their hashes.
          </Alert>
        ) : (
          <Alert color="red" icon={<IconShieldX aria-hidden />} title="Audit chain broken" role="alert">
            The first broken link is entry {verification.firstBrokenSeq}: {verification.reason}.
          </Alert>
        ))}
      {error && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load the audit log" role="alert">
          {error}
        </Alert>
      )}
      <Paper withBorder radius="lg" p="md">
        <Group mb="sm" align="flex-end">
          <TextInput
            label="Action"
            placeholder="e.g. card.lookup"
            value={action}
            onChange={(e) => setAction(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void load();
            }}
          />
          <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => void load()} loading={loading}>
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
                <Table.Tr key={entry.seq}>
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
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        {entries.length === 0 && !loading && (
          <Text c="dimmed" ta="center" py="lg">
            No entries{action.trim() ? ` for action ${action.trim()}` : ''}.
          </Text>
        )}
        {next !== null && (
          <Group justify="center" mt="sm">
            <Button variant="subtle" onClick={() => void load(next)} loading={loading}>
              Load older entries
            </Button>
          </Group>
        )}
      </Paper>
    </Stack>
  );
}
