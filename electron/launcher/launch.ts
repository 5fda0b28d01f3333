/**
 * `npm start`: the Electron app where its binary exists and the database addon is built for its
 * ABI (rebuilt here when needed), otherwise the loopback host with a clear message and the URL to
 * open. Plain Node: it must run where Electron cannot.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runHost } from '../host/hostMain';
import { electronBinary } from './electronBinary';
import { planLaunch } from './native/launchPlan';
import { sqliteModuleDir } from '../../db/sqliteBinding';

const projectRoot = join(__dirname, '..', '..', '..');
const plan = planLaunch(electronBinary(), { projectRoot, moduleDir: sqliteModuleDir(), log: console.log });
if (plan.kind === 'electron') {
  for (const note of plan.notes) console.log(note);
  const child = spawn(plan.binary, [projectRoot], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(plan.message);
  runHost(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`lantern: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
