/**
 * The Import screen's side of card batch import (issue 13). The window never names a
 * file: the main process asks for one in a native open dialog (main.ts supplies the
 * dialog and the progress transport through `setImportDesk`), reads it itself and runs
 * the same `importCards` as `giftdesk cards import`, pushing progress to that window as
 * `cards:importProgress` events. `cards:importCancel` aborts it (nothing is imported).
 *
 * Only a console with its own store has a desk. The team server has none (its machine
 * has no one to show a dialog to, and a console's files are not the server's): there
 * the channel refuses in words, telling the admin to run `giftdesk cards import` where
 * the server runs.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImportProgress, ImportSummary } from '../../shared/cardImport';
import { AppError } from '../../shared/errors';
import { importCards } from '../services/cardImport';
import type { Actor, ServiceDeps } from '../services/context';
import type { CallerKey } from './sessions';

export interface ImportDesk {
  /** The native open dialog for this window: the chosen file's path, or null when it was closed. */
  chooseFile(caller: CallerKey): Promise<string | null>;
  /** Pushes progress to this window. */
  progress(caller: CallerKey, progress: ImportProgress): void;
}

let desk: ImportDesk | null = null;

export function setImportDesk(next: ImportDesk | null): void {
  desk = next;
}

export const IMPORT_NEEDS_SERVER_MACHINE =
  'Card batches are imported where the store is. On the team server\'s machine, run: giftdesk cards import <file.csv> ' +
  '(with the server\'s configuration). Nothing was imported.';

/** Progress pushes at most this often (the last one always goes). */
const PROGRESS_EVERY_MS = 100;

const running = new Map<CallerKey, AbortController>();

export async function importFromDialog(
  deps: ServiceDeps,
  actor: Actor,
  caller: CallerKey,
  input: { skipInvalid: boolean },
): Promise<(ImportSummary & { rejectsFile: string | null }) | null> {
  if (!desk) throw new AppError('FORBIDDEN', IMPORT_NEEDS_SERVER_MACHINE);
  if (running.size > 0) throw new AppError('FORBIDDEN', 'An import is already running in this console; wait for it or cancel it.');
  const controller = new AbortController();
  running.set(caller, controller);
  try {
    const file = await desk.chooseFile(caller);
    if (!file) return null;
    const totalBytes = (await stat(file)).size;
    const rejectsFile = input.skipInvalid ? `${file}.rejects.csv` : null;
    const rejects = rejectsFile ? createWriteStream(rejectsFile) : null;
    let last = 0;
    const push = desk.progress.bind(desk);
    let summary: ImportSummary | null = null;
    try {
      summary = await importCards(deps, actor, createReadStream(file, { highWaterMark: 1 << 20 }), {
        fileName: path.basename(file),
        skipInvalid: input.skipInvalid,
        ...(rejects ? { rejects } : {}),
        signal: controller.signal,
        onProgress: (p) => {
          const now = performance.now();
          if (now - last < PROGRESS_EVERY_MS) return;
          last = now;
          push(caller, { ...p, totalBytes });
        },
      });
      push(caller, { rowsRead: summary.rowsRead, bytesRead: totalBytes, totalBytes, imported: summary.imported, alreadyPresent: summary.alreadyPresent, rejected: summary.rejected });
      return { ...summary, rejectsFile: summary.rejected > 0 && rejectsFile ? path.basename(rejectsFile) : null };
    } finally {
      if (rejects && rejectsFile) {
        await new Promise<void>((resolve) => (rejects.closed ? resolve() : rejects.once('close', () => resolve())));
        if (!summary || summary.rejected === 0) await rm(rejectsFile, { force: true });
      }
    }
  } finally {
    running.delete(caller);
  }
}

export function cancelDialogImport(caller: CallerKey): { cancelled: boolean } {
  const controller = running.get(caller);
  if (!controller) return { cancelled: false };
  controller.abort();
  return { cancelled: true };
}
