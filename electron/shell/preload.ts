/**
 * The only bridge into the renderer: `window.lantern`, one method per contract entry, nothing else
 * (no ipcRenderer, no generic invoke). Sandboxed preloads can require only 'electron', so the
 * contract is imported for its types alone and main passes its method names on the command line.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { LanternApi, MethodName, methodListFlag } from '../contract/ipcContract';

/** The contract's flag, re-typed here: the compiler checks both spell it the same. */
const flag: typeof methodListFlag = '--lantern-methods=';

const methods = (process.argv
  .find((arg) => arg.startsWith(flag))
  ?.slice(flag.length)
  .split(',') ?? []) as MethodName[];

const api = Object.fromEntries(methods.map((method) => [method, (request: unknown) => ipcRenderer.invoke(`lantern:${method}`, request)]));

// Each entry forwards its request and the handler's envelope unchanged, so the contract's per-method types hold.
contextBridge.exposeInMainWorld('lantern', api as unknown as LanternApi);
