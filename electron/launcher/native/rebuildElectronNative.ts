/**
 * `npm run rebuild:electron`: builds the database addon for the installed Electron's ABI into
 * build-electron/ and keeps Node's build in place. With --if-electron (the install step) a machine
 * without Electron, or without a rebuild tool, only hears why, and the install still succeeds.
 */
import { join } from 'node:path';
import { electronBinary } from '../electronBinary';
import { prepareElectronNative } from './electronNativeBuild';
import { sqliteModuleDir } from '../../../db/sqliteBinding';

const optional = process.argv.includes('--if-electron');
const binary = electronBinary();
if (binary === null) {
  console.log(
    'Lantern: Electron is not installed on this machine (an optional dependency that could not be downloaded): no Electron build of the database module to make. `npm start` runs the local web app.',
  );
  process.exit(optional ? 0 : 1);
}
const outcome = prepareElectronNative({
  projectRoot: join(__dirname, '..', '..', '..', '..'),
  moduleDir: sqliteModuleDir(),
  binary,
  force: process.argv.includes('--force'),
  log: console.log,
});
if (outcome.kind === 'cannot-rebuild') {
  console.error(outcome.message);
  process.exit(optional ? 0 : 1);
}
console.log(
  outcome.kind === 'ready'
    ? `Lantern: the database module is already built for Electron ${outcome.runtime.electron} (ABI ${outcome.runtime.modules}).`
    : `Lantern: database module rebuilt for Electron ${outcome.runtime.electron} (ABI ${outcome.runtime.modules}) with ${outcome.tool}.`,
);
