/**
 * Runs Lantern as the loopback host: `node build/electron/host/hostMain.js [--data-dir DIR] [--port N]
 * [--models-dir DIR]` (another models folder: tests check a tampered copy without touching models/).
 * Prints one JSON line `{"event":"lantern:host-ready",...}` when it accepts requests; tests and
 * `npm start` wait for that event rather than for time to pass.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppServices } from '../app/appServices';
import { idleLockMsFromEnv } from '../app/accountability/lanternSession';
import { databasePathIn, defaultDataDir } from '../app/appPaths';
import { startLoopbackHost } from './loopbackHost';

export const hostReadyEvent = 'lantern:host-ready';

export async function runHost(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, 'models-dir': { type: 'string' } },
    strict: true,
  });
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const services = createAppServices({ dbPath: databasePathIn(dataDir), modelsDir: values['models-dir'], idleLockMs: idleLockMsFromEnv() });
  const host = await startLoopbackHost({
    call: services.call,
    rendererDir: join(__dirname, '..', '..', 'renderer'),
    port: values.port === undefined ? 0 : Number(values.port),
  });
  const shutdown = () => {
    services.close();
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  process.stdout.write(`${JSON.stringify({ event: hostReadyEvent, url: host.url, launchUrl: host.launchUrl, dataDir })}\n`);
}

if (require.main === module) {
  runHost(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`lantern host: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
