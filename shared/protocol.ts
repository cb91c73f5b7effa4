/**
 * The console ↔ team server protocol: the contract carried over HTTPS. One route per
 * channel, derived from the contract (`POST /rpc/<channel>` with `{ "input": … }`),
 * the window's session as a bearer token the renderer never sees, and the contract's
 * events as server-sent events. Both ends import these names; nothing is written per
 * channel.
 */

/**
 * The version of the channel contract a console and a server speak. Bump it with any
 * change to a channel's input, output or roles: a console and a server of different
 * versions refuse each other at sign-in with a clear screen instead of failing later.
 */
export const CONTRACT_VERSION = 1;

/** Request header carrying the console's contract version. */
export const CONTRACT_VERSION_HEADER = 'giftdesk-contract';

export const RPC_PREFIX = '/rpc/';
export const EVENTS_PATH = '/events';
export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';

/**
 * `POST /export/audit` with `{ "input": <audit:export's input>, "fileName": "<name.csv>" }`:
 * `audit:export` run on the server (same token, session, role and input checks as
 * `/rpc/audit:export`), answered as the CSV itself (`text/csv`, chunked) whose
 * completion is the two trailers below, sent only after the server has put the export
 * on record. A body without them was broken off: the console keeps nothing. A refusal
 * before the first byte is an envelope with its status, as for `/rpc`.
 */
export const EXPORT_AUDIT_PATH = '/export/audit';
/** Trailer: the number of entries (CSV records after the header) the server wrote. */
export const EXPORT_ROWS_TRAILER = 'giftdesk-rows';
/** Trailer: SHA-256 (hex) of the bytes the server wrote, as recorded in its `audit.exported` entry. */
export const EXPORT_SHA256_TRAILER = 'giftdesk-sha256';
/** Longest file name the console may send for the record. */
export const EXPORT_FILE_NAME_MAX = 255;

/** What `/healthz` answers. */
export interface ServerHealth {
  status: 'ok';
  contractVersion: number;
  version: string;
}
