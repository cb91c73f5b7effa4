/**
 * The preload: exposes `window.giftdesk`, built from the channel contract, and nothing
 * else — the contract's calls over `ipcRenderer.invoke`, and `on(event, listener)` for
 * the contract's events over `ipcRenderer.on`. Bundled into one CommonJS file because a
 * sandboxed preload can only require `electron`.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildApi, type GiftdeskApi } from '../shared/contract';

const api = buildApi(
  (channel, input) => ipcRenderer.invoke(channel, input),
  (event, listener) => {
    // The IPC event object (with its sender) never reaches the page: only the payload.
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
) satisfies GiftdeskApi;

contextBridge.exposeInMainWorld('giftdesk', api);
