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

/** What `/healthz` answers. */
export interface ServerHealth {
  status: 'ok';
  contractVersion: number;
  version: string;
}
