/**
 * The Audit screen's side of `audit:export` (issue 14). The window never names a path:
 * the main process asks for one in a native save dialog (main.ts supplies it through
 * `setExportDesk`; the e2e harness's stand-in "chooses" GIFTDESK_TEST_EXPORT_FILE) and
 * writes the file itself with the same `exportAudit` as `giftdesk audit export`.
 *
 * Only a console with its own store has a desk. The team server has none (its machine
 * has no one to show a dialog to, and the file would land on the server's disk, not the
 * supervisor's): there the channel refuses in words, as the team console's Import does,
 * naming the command to run where the server runs.
 */
import type { AuditFilter } from '../../shared/auditFilter';
import { AppError } from '../../shared/errors';
import type { AuditExportResult } from '../../shared/types';
import { exportAudit } from '../services/auditExport';
import type { Actor, ServiceDeps } from '../services/context';
import type { CallerKey } from './sessions';

export interface ExportDesk {
  /** The native save dialog for this window, offering `suggestedName`: the chosen path, or null when it was closed. */
  chooseFile(caller: CallerKey, suggestedName: string): Promise<string | null>;
}

let desk: ExportDesk | null = null;

export function setExportDesk(next: ExportDesk | null): void {
  desk = next;
}

export const EXPORT_NEEDS_SERVER_MACHINE =
  "In a team, the audit log is exported where the store is. On the team server's machine, run: giftdesk audit export <file.csv> " +
  "(with the server's configuration; --actor, --action, --subject, --ticket, --from and --to narrow it). Nothing was exported.";

/** The name the dialog offers: giftdesk-audit-<UTC date>.csv. */
export function suggestedExportName(now: Date): string {
  return `giftdesk-audit-${now.toISOString().slice(0, 10)}.csv`;
}

export async function exportFromDialog(deps: ServiceDeps, actor: Actor, caller: CallerKey, filter: AuditFilter): Promise<AuditExportResult> {
  if (!desk) throw new AppError('FORBIDDEN', EXPORT_NEEDS_SERVER_MACHINE);
  const file = await desk.chooseFile(caller, suggestedExportName(deps.clock.now()));
  if (!file) return { cancelled: true };
  return { cancelled: false, ...(await exportAudit(deps, actor, filter, file)) };
}
