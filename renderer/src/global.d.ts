import type { GiftdeskApi } from '../../shared/contract';

declare global {
  interface Window {
    /** Exposed by the preload from the channel contract; absent outside Giftdesk. */
    giftdesk?: GiftdeskApi;
  }
}
