/**
 * `npm start`: the Electron app where its binary exists, otherwise the loopback host with a clear
 * message and the URL to open. Plain Node: it must run where Electron cannot.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runHost } from './host/hostMain';
import { electronBinary } from './electronBinary';

const binary = electronBinary();
if (binary) {
  const child = spawn(binary, [join(__dirname, '..', '..')], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    'Lantern: the Electron binary is not installed on this machine (it could not be downloaded), so Lantern ' +
      'runs as a local web app instead. Open the launchUrl below in Chromium or another browser on this computer. ' +
      'It listens on 127.0.0.1 only and needs the secret token in that URL.',
  );
  runHost(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`lantern: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
