/**
 * Electron IPC for the contract: one `ipcMain.handle` per method. Only our own top-level page may
 * call; payloads are validated by the shared dispatcher (the same one the loopback host uses).
 */
import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { channelOf, methodNames } from '../contract/ipcContract';
import type { Result } from '../contract/ipcContract';
import { isAppUrl } from './windowSecurity';

export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export function registerIpc(call: (method: string, payload: unknown) => Promise<Result<unknown>>): void {
  for (const method of methodNames) {
    ipcMain.handle(channelOf(method), async (event, payload: unknown) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: 'Calls are accepted from the Lantern window only.' } };
      }
      return call(method, payload);
    });
  }
}
