import { Alert, Button, Group, List, Paper, Stack, Tabs, Text } from '@mantine/core';
import { IconAlertTriangle, IconFileExport, IconListSearch, IconShieldCheck, IconShieldX, IconTimeline } from '@tabler/icons-react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { AuditFilter } from '../../../shared/auditFilter';
import type { AuditEntryView, AuditVerification } from '../../../shared/types';
import { errorMessage } from '../api';
import { AuditEntryDrawer } from '../components/audit/AuditEntryDrawer';
import { AuditFilterForm } from '../components/audit/AuditFilterForm';
import { AuditTable } from '../components/audit/AuditTable';
import { TicketView } from '../components/audit/TicketView';
import { ScreenHeader } from '../components/ScreenHeader';
import { auditQueries, compactFilter, useAuditScreenState, useExportAudit, useVerifyAudit } from '../data/audit';
import { useNavigation } from '../shell/navigation';

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

/** Counts the screen's openings, so an opening's target is applied once. */
let openings = 0;

function filterSummary(filter: AuditFilter): string {
  const parts = [
    filter.actor && `by ${filter.actor}`,
    filter.action && `actions starting with “${filter.action}”`,
    filter.subject && `about ${filter.subject}`,
    filter.ticketId && `ticket ${filter.ticketId}`,
    filter.from && `from ${new Date(filter.from).toLocaleString()}`,
    filter.to && `until ${new Date(filter.to).toLocaleString()}`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'all entries';
}

/**
 * The audit log: a search (filters, a virtualised table, an entry drawer) and the ticket
 * view, as two tabs. The filter, the tab and the ticket survive leaving the screen.
 * Opened with `subject` (a card's or account's "Audit trail") or `ticketId`, it shows that.
 */
export function AuditScreen() {
  const queryClient = useQueryClient();
  const { params } = useNavigation();
  const [state, update] = useAuditScreenState();
  const [opened, setOpened] = useState<AuditEntryView | null>(null);

  // Asked for from another screen: that subject's trail, or that ticket's timeline.
  // Until it is applied (once per opening, marked with the opening's number), the old
  // filter is neither shown nor asked for.
  const [target] = useState(() => ({ subject: params['subject'], ticketId: params['ticketId'], opening: ++openings }));
  useEffect(() => {
    if (target.subject) update({ filter: { subject: target.subject }, tab: 'search', opening: target.opening });
    else if (target.ticketId) update({ ticketId: target.ticketId, tab: 'ticket', opening: target.opening });
  }, [target, update]);
  const pending = Boolean(target.subject || target.ticketId) && state.opening !== target.opening;

  const filter = compactFilter(state.filter);
  // Asked only while the search tab shows (the ticket tab asks for its own entries).
  const log = useInfiniteQuery({ ...auditQueries.list(filter), enabled: !pending && state.tab === 'search' });
  const verify = useVerifyAudit();
  const exportAudit = useExportAudit();
  const exported = exportAudit.data && !exportAudit.data.cancelled ? exportAudit.data : null;
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = log;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  function apply(next: AuditFilter) {
    const compact = compactFilter(next);
    // Asked again for the same filter: start over from the newest entry.
    if (JSON.stringify(compact) === JSON.stringify(filter)) {
      void queryClient.resetQueries({ queryKey: auditQueries.list(compact).queryKey, exact: true });
    }
    exportAudit.reset();
    update({ filter: compact });
  }

  function askTicket(ticketId: string) {
    // The same ticket again: ask again (others may have worked on it since).
    if (ticketId === state.ticketId) void queryClient.invalidateQueries({ queryKey: auditQueries.ticket(ticketId).queryKey, exact: true });
    else update({ ticketId });
  }

  const openTicket = (ticketId: string) => {
    setOpened(null);
    update({ ticketId, tab: 'ticket' });
  };

  return (
    <Stack maw={1280}>
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
      <Tabs value={state.tab} onChange={(tab) => update({ tab: tab === 'ticket' ? 'ticket' : 'search' })} keepMounted={false}>
        <Tabs.List aria-label="Audit views">
          <Tabs.Tab value="search" leftSection={<IconListSearch size={16} aria-hidden />}>
            Search
          </Tabs.Tab>
          <Tabs.Tab value="ticket" leftSection={<IconTimeline size={16} aria-hidden />}>
            Ticket timeline
          </Tabs.Tab>
        </Tabs.List>

        <Tabs.Panel value="search" pt="md">
          <Stack>
            {!pending && (
              <AuditFilterForm
                key={JSON.stringify(filter)}
                applied={filter}
                busy={log.isFetching && !log.isFetchingNextPage}
                onApply={apply}
              />
            )}
            {log.error && (
              <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load the audit log" role="alert">
                {errorMessage(log.error)}
              </Alert>
            )}
            <Paper withBorder radius="lg" p="md">
              <Group justify="space-between" align="center" wrap="nowrap" mb="xs" gap="md">
                <Text size="sm" role="status">
                  {log.isSuccess
                    ? `${entries.length.toLocaleString()}${log.hasNextPage ? '+' : ''} ${entries.length === 1 ? 'entry' : 'entries'}: ${filterSummary(filter)}.`
                    : 'Loading…'}
                  {log.hasNextPage && ' Older entries load as you scroll (or press End in the table).'}
                </Text>
                <Button
                  variant="default"
                  size="sm"
                  style={{ flexShrink: 0 }}
                  leftSection={<IconFileExport size={16} aria-hidden />}
                  onClick={() => exportAudit.mutate(filter)}
                  loading={exportAudit.isPending}
                >
                  Export CSV
                </Button>
              </Group>
              {exported && (
                <Alert color="green" icon={<IconFileExport aria-hidden />} role="status" mb="xs">
                  Exported {exported.rowCount.toLocaleString()} {exported.rowCount === 1 ? 'entry' : 'entries'} to {exported.fileName}
                </Alert>
              )}
              {exportAudit.error && (
                <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not export the audit log" role="alert" mb="xs">
                  {errorMessage(exportAudit.error)}
                </Alert>
              )}
              {log.isSuccess && entries.length === 0 ? (
                <Text c="dimmed" ta="center" py="lg">
                  No entries match this filter.
                </Text>
              ) : (
                <AuditTable
                  entries={entries}
                  hasMore={log.hasNextPage}
                  loadingMore={log.isFetchingNextPage}
                  onLoadMore={loadMore}
                  onOpen={setOpened}
                />
              )}
            </Paper>
          </Stack>
        </Tabs.Panel>

        <Tabs.Panel value="ticket" pt="md">
          <TicketView key={state.ticketId} ticketId={state.ticketId} onAsk={askTicket} onOpenEntry={setOpened} />
        </Tabs.Panel>
      </Tabs>
      <AuditEntryDrawer entry={opened} onClose={() => setOpened(null)} onOpenTicket={openTicket} />
    </Stack>
  );
}
