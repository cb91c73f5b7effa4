/**
 * The audit entries as an ARIA grid, virtualised (@tanstack/react-virtual): only the
 * rows in view (plus a few) are in the DOM, whatever the number loaded, so it stays
 * smooth at 100 000 rows. Older pages load as the view nears the end; from the keyboard
 * the rows are one tab stop (arrows, Page Up/Down, Home/End move; End or Down on the
 * last row loads older entries), and Enter opens the entry.
 */
import { Box, Code, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { AuditEntryView } from '../../../../shared/types';
import { formatDateTime } from '../../format';
import { describeEntry } from './auditWords';
import classes from './AuditTable.module.css';

const ROW_HEIGHT = 40;
/** Start loading the next page when the view is this many rows from the end. */
const LOAD_AHEAD = 40;

const columns = ['#', 'Time', 'User', 'Action', 'What happened', 'Subject', 'Ticket'] as const;

interface AuditTableProps {
  entries: AuditEntryView[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore(): void;
  onOpen(entry: AuditEntryView): void;
}

export function AuditTable({ entries, hasMore, loadingMore, onLoadMore, onOpen }: AuditTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const focusWanted = useRef(false);
  // The build has no React Compiler to skip; the virtualiser re-renders the table as it scrolls, by design.
  // oxlint-disable-next-line react/incompatible-library
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];

  // Near the end of what is loaded: ask for the next page (once at a time).
  useEffect(() => {
    if (last && hasMore && !loadingMore && last.index >= entries.length - LOAD_AHEAD) onLoadMore();
  }, [last, hasMore, loadingMore, entries.length, onLoadMore]);

  const activeIndex = Math.min(active, Math.max(entries.length - 1, 0));

  // A key moved the active row: bring it into view, then focus it once it is rendered.
  useEffect(() => {
    if (!focusWanted.current) return;
    virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
    let tries = 0;
    let frame = 0;
    const focus = () => {
      const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"]`);
      if (row) {
        focusWanted.current = false;
        row.focus({ preventScroll: true });
      } else if (tries++ < 10) frame = requestAnimationFrame(focus);
    };
    frame = requestAnimationFrame(focus);
    return () => cancelAnimationFrame(frame);
  }, [activeIndex, virtualizer]);

  function move(to: number) {
    focusWanted.current = true;
    setActive(Math.max(0, Math.min(entries.length - 1, to)));
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>, index: number) {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const atEnd = index >= entries.length - 1;
    switch (event.key) {
      case 'Enter':
      case ' ':
        onOpen(entries[index]!);
        break;
      case 'ArrowDown':
        if (atEnd && hasMore) onLoadMore();
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'PageDown':
        move(index + page);
        break;
      case 'PageUp':
        move(index - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        if (hasMore) onLoadMore();
        move(entries.length - 1);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  return (
    <Box
      role="grid"
      aria-label="Audit entries"
      aria-rowcount={hasMore ? -1 : entries.length + 1}
      aria-colcount={columns.length}
      aria-busy={loadingMore || undefined}
      className={classes.grid}
    >
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} className={`${classes.row} ${classes.header}`}>
          {columns.map((column) => (
            <div role="columnheader" key={column} className={classes.cell}>
              {column}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" ref={scroller} className={classes.body} data-testid="audit-scroller">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const entry = entries[item.index]!;
            const sentence = describeEntry(entry);
            return (
              <div
                key={entry.seq}
                role="row"
                aria-rowindex={item.index + 2}
                data-index={item.index}
                tabIndex={item.index === activeIndex ? 0 : -1}
                className={classes.row}
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                onClick={() => {
                  setActive(item.index);
                  onOpen(entry);
                }}
                onFocus={() => setActive(item.index)}
                onKeyDown={(event) => onKeyDown(event, item.index)}
              >
                <div role="gridcell" className={classes.cell}>
                  {entry.seq}
                </div>
                <div role="gridcell" className={classes.cell}>
                  {formatDateTime(entry.at)}
                </div>
                <div role="gridcell" className={classes.cell}>
                  {entry.actor ?? (
                    <Text span c="dimmed" size="sm">
                      system
                    </Text>
                  )}
                </div>
                <div role="gridcell" className={classes.cell}>
                  <Code>{entry.action}</Code>
                </div>
                <div role="gridcell" className={classes.cell} title={sentence}>
                  {sentence}
                </div>
                <div role="gridcell" className={`${classes.cell} serial`}>
                  {entry.subjectId ?? ''}
                </div>
                <div role="gridcell" className={classes.cell}>
                  {entry.ticketId ?? ''}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </Box>
  );
}
