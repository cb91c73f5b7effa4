/**
 * The Audit screen's side of `audit:export` (issue 14). The window never names a path:
 * the main process asks for one in a native save dialog (main.ts supplies it through
 * `setExportDesk`; the e2e harness's stand-in "chooses" GIFTDESK_TEST_EXPORT_FILE) and
 * writes the file itself with the same `exportAudit` as `giftdesk audit export`.
 *
 * Only a console with its own store has a desk. The team server has none (its machine
 * has no one to show a dialog to, and a file there would land on the server's disk, not
 * the supervisor's). There the export runs through `POST /export/audit`, whose caller
 * carries a `download` (the HTTP response): the server reads, writes the CSV into the
 * response and puts the export on record; the team console (electron/remote/console.ts)
 * shows its own save dialog and keeps the file once it has arrived whole. Called through
 * `/rpc/audit:export` instead (no download, no desk), the channel refuses in words.
 */
import type { AuditFilter } from '../../shared/auditFilter';
import { EXPORT_AUDIT_PATH } from '../../shared/protocol';
import { AppError } from '../../shared/errors';
import type { AuditExportResult } from '../../shared/types';
import { exportAudit, writeAuditCsv } from '../services/auditExport';
import type { Actor, ServiceDeps } from '../services/context';
import type { CallerKey } from './sessions';
import type { Caller } from './wrapper';

export interface ExportDesk {
  /** The native save dialog for this window, offering `suggestedName`: the chosen path, or null when it was closed. */
  chooseFile(caller: CallerKey, suggestedName: string): Promise<string | null>;
}

let desk: ExportDesk | null = null;

export function setExportDesk(next: ExportDesk | null): void {
  desk = next;
}

export const EXPORT_NEEDS_DOWNLOAD =
  `The team server sends an audit export as a download (${EXPORT_AUDIT_PATH}), which a Giftdesk console of this version asks for when you press Export CSV on the Audit screen. ` +
  'Nothing was exported.';

/** The name the dialog offers: giftdesk-audit-<UTC date>.csv. */
export function suggestedExportName(now: Date): string {
  return `giftdesk-audit-${now.toISOString().slice(0, 10)}.csv`;
}

/** `audit:export`: into the transport's download when it has one (the team server), else to the file the save dialog gives. */
export async function exportForCaller(deps: ServiceDeps, actor: Actor, caller: Caller, filter: AuditFilter): Promise<AuditExportResult> {
  if (caller.download) {
    const { rowCount, fileName } = await writeAuditCsv(deps, actor, filter, caller.download);
    return { cancelled: false, rowCount, fileName };
  }
  return exportFromDialog(deps, actor, caller.key, filter);
}

export async function exportFromDialog(deps: ServiceDeps, actor: Actor, caller: CallerKey, filter: AuditFilter): Promise<AuditExportResult> {
  if (!desk) throw new AppError('FORBIDDEN', EXPORT_NEEDS_DOWNLOAD);
  const file = await desk.chooseFile(caller, suggestedExportName(deps.clock.now()));
  if (!file) return { cancelled: true };
  return { cancelled: false, ...(await exportAudit(deps, actor, filter, file)) };
}
