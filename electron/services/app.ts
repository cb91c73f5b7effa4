/** `app:info`: what the first screen shows before anyone signs in. */
import type { AppInfo } from '../../shared/types';
import type { ServiceDeps } from './context';
import { presentDemoUsers } from './demo';

/** The version, the kind of store, and the demo sign-ins while the demo dataset is in the store. */
export async function appInfo(deps: ServiceDeps, version: string): Promise<AppInfo> {
  return { version, store: deps.kind, demoUsers: await presentDemoUsers(deps.db) };
}
