import { Alert, Button, Checkbox, Group, List, Paper, Progress, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconFileImport, IconPlayerStop } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { ImportProgress } from '../../../shared/cardImport';
import { errorMessage } from '../api';
import { ScreenHeader } from '../components/ScreenHeader';
import { useCancelImport, useImportCards } from '../data/cardImport';
import { useGiftdeskEvent } from '../data/events';

const COLUMNS =
  'serial, claim_code, marketplace, face_value, order_number, ordered_at, purchaser_name, recipient_name, delivery_channel, delivery_email, shipping_address';

/** Imports a card batch (CSV) chosen in the system's open dialog; admins only. */
export function ImportScreen() {
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [progress, setProgress] = useState<Timed | null>(null);
  // When the first progress arrived (the dialog is closed by then): rows/s and time left count from it.
  const startedAt = useRef<number | null>(null);
  const run = useImportCards();
  const cancel = useCancelImport();
  useGiftdeskEvent('cards:importProgress', (p) => {
    const now = performance.now();
    startedAt.current ??= now;
    setProgress({ ...p, seconds: (now - startedAt.current) / 1000 });
  });

  function start() {
    setProgress(null);
    startedAt.current = null;
    run.mutate({ skipInvalid });
  }

  const summary = run.data;
  return (
    <Stack maw={900}>
      <ScreenHeader
        title="Import cards"
        description="Bring in a batch file from the issuer's order system. All or nothing: one bad row and nothing is imported, unless you choose to skip invalid rows."
      />
      <Paper withBorder p="md">
        <Stack>
          <Text size="sm">
            A CSV file (UTF-8) with the header row: <Text span ff="monospace" size="xs">{COLUMNS}</Text>. Importing the same file again changes
            nothing.
          </Text>
          <Checkbox
            label="Import the valid rows and write the others, with the reason for each, to a rejects file beside the batch"
            checked={skipInvalid}
            onChange={(event) => setSkipInvalid(event.currentTarget.checked)}
            disabled={run.isPending}
          />
          <Group>
            <Button leftSection={<IconFileImport size={18} aria-hidden />} onClick={start} loading={run.isPending}>
              Choose a file and import
            </Button>
            {run.isPending && (
              <Button variant="default" leftSection={<IconPlayerStop size={18} aria-hidden />} onClick={() => cancel.mutate()}>
                Cancel import
              </Button>
            )}
          </Group>
          {run.isPending && (
            <Stack gap={4} role="status" aria-live="polite">
              <ImportBar progress={progress} />
            </Stack>
          )}
        </Stack>
      </Paper>
      {run.isError && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Nothing was imported" role="alert">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {errorMessage(run.error)}
          </Text>
        </Alert>
      )}
      {run.isSuccess && summary === null && (
        <Alert color="gray" title="No file chosen" role="status">
          Nothing was imported.
        </Alert>
      )}
      {summary && (
        <Alert color="green" title={`Imported ${summary.imported.toLocaleString()} cards from ${summary.fileName}`} role="status">
          <Text size="sm">
            {summary.rowsRead.toLocaleString()} rows read: {summary.alreadyPresent.toLocaleString()} already present,{' '}
            {summary.rejected.toLocaleString()} rejected, in {summary.seconds.toFixed(1)} s. Batch {summary.batchId}.
          </Text>
          {summary.rejectsFile && <Text size="sm">Rejected rows, with the reason for each, are in {summary.rejectsFile} beside the batch.</Text>}
          {summary.problems.length > 0 && (
            <List size="sm" mt={4}>
              {summary.problems.map((p) => (
                <List.Item key={`${p.line}-${p.column ?? ''}`}>
                  Line {p.line}
                  {p.column ? `, ${p.column}` : ''}: {p.reason}
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
    </Stack>
  );
}

/** A progress push and the seconds since the first one. */
type Timed = ImportProgress & { seconds: number };

/** The bar: the share of the file read, rows, rows per second and the time left (from the bytes read so far). */
function ImportBar({ progress }: { progress: Timed | null }) {
  if (!progress) {
    return (
      <>
        <Progress value={100} animated aria-label="Import progress" />
        <Text size="sm">Waiting for the file…</Text>
      </>
    );
  }
  const share = progress.totalBytes ? Math.min(1, progress.bytesRead / progress.totalBytes) : null;
  const seconds = progress.seconds;
  const rate = seconds > 0.5 ? progress.rowsRead / seconds : null;
  const left = share && share > 0.01 && seconds > 0.5 ? (seconds * (1 - share)) / share : null;
  const percent = share === null ? null : Math.floor(share * 100);
  return (
    <>
      <Progress
        value={percent ?? 100}
        animated={percent === null}
        aria-label="Import progress"
        aria-valuetext={percent === null ? 'Importing' : `${percent} percent of the file read`}
      />
      <Text size="sm" data-testid="import-progress">
        {percent !== null ? `${percent} % · ` : ''}
        {progress.rowsRead.toLocaleString()} rows read, {progress.imported.toLocaleString()} to import
        {rate !== null ? ` · ${Math.round(rate).toLocaleString()} rows/s` : ''}
        {left !== null ? ` · about ${formatLeft(left)} left` : ''}
      </Text>
    </>
  );
}

function formatLeft(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
