/**
 * The preload: exposes `window.giftdesk`, built from the channel contract, and nothing
 * else. Bundled into one CommonJS file because a sandboxed preload can only require
 * `electron`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildApi, type GiftdeskApi } from '../shared/contract';

const api = buildApi((channel, input) => ipcRenderer.invoke(channel, input)) satisfies GiftdeskApi;

contextBridge.exposeInMainWorld('giftdesk', api);
