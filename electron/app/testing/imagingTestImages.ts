/**
 * Images for service and CLI tests of the imaging models, made from committed files only: a
 * PneumoniaMNIST validation chest X-ray from the model's parity fixture (in the model's scope and
 * distribution), and a child's birth date for the pneumonia model's 1-5-year scope.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';

const fixture = resolve(__dirname, '../../../models/runtime/imaging/fixtures/pneumonia-fixture.json');

/** A validation chest X-ray (28x28 grey) as a PNG, `scale` times larger (nearest neighbour). */
export function chestXrayPng(index = 0, scale = 4): Buffer {
  const json = JSON.parse(readFileSync(fixture, 'utf8')) as { validation: { pixelsU8: string }[] };
  const px = Buffer.from(json.validation[index]!.pixelsU8, 'base64');
  const side = 28 * scale;
  const png = new PNG({ width: side, height: side });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = px[Math.floor(y / scale) * 28 + Math.floor(x / scale)]!;
      const i = (y * side + x) * 4;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = v;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** A birth date that makes the patient `years` old today (mid-year, so the age is stable through the test). */
export function birthDateForAge(years: number, now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate()));
  d.setUTCMonth(d.getUTCMonth() - 6);
  return d.toISOString().slice(0, 10);
}

export const driveImagePath = (dataDir: string, id = 24): string => join(dataDir, 'imaging', 'drive', 'training', 'images', `${id}_training.tif`);
