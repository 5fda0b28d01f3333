/**
 * What `npm start` does on this machine: the Electron app when its binary exists and the database
 * addon is (or can now be) built for it, otherwise the loopback host, with the reason and what to
 * run printed first. Plain Node.
 */
import { prepareElectronNative } from './electronNativeBuild';
import type { PrepareOptions } from './electronNativeBuild';

export type LaunchPlan = { kind: 'electron'; binary: string; notes: string[] } | { kind: 'host'; message: string };

export const noElectronMessage =
  'Lantern: the Electron binary is not installed on this machine (it could not be downloaded), so Lantern ' +
  'runs as a local web app instead. Open the launchUrl below in Chromium or another browser on this computer. ' +
  'It listens on 127.0.0.1 only and needs the secret token in that URL.';

const hostInstead =
  'Until then Lantern runs as a local web app: open the launchUrl below in Chromium or another browser on this ' +
  'computer (127.0.0.1 only, with the secret token in that URL).';

export function planLaunch(binary: string | null, prepare: Omit<PrepareOptions, 'binary'>): LaunchPlan {
  if (binary === null) return { kind: 'host', message: noElectronMessage };
  // Lines already shown through prepare.log are not repeated in the plan.
  const notes: string[] = [];
  const outcome = prepareElectronNative({ ...prepare, binary, log: prepare.log ?? ((line) => notes.push(line)) });
  switch (outcome.kind) {
    case 'ready':
      return { kind: 'electron', binary, notes };
    case 'rebuilt':
      return {
        kind: 'electron',
        binary,
        notes: [...notes, `Lantern: database module rebuilt for Electron ${outcome.runtime.electron} (ABI ${outcome.runtime.modules}) with ${outcome.tool}.`],
      };
    case 'cannot-rebuild':
      return { kind: 'host', message: `${[...notes, outcome.message].join('\n')}\n${hostInstead}` };
  }
}
