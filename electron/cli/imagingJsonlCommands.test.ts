/**
 * `lantern predict --model pneumonia-xray` and `lantern segment`: images outside a model's scope or
 * distribution get `{"id", "abstained": {code, message}}` (no probabilities, no map), the others
 * their answer, in input order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { predictCommand, segmentCommand } from './jsonlCommands';
import { makeTempDir } from '../../db/testing/tmpStore';
import { chestXrayPng, driveImagePath } from '../app/testing/imagingTestImages';

const dataDir = resolve(__dirname, '../../../shared/data');
const mrDicom = join(dataDir, 'dicom', 'MR_small.dcm');

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

function png(width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): Buffer {
  const p = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      const i = (y * width + x) * 4;
      p.data[i] = r;
      p.data[i + 1] = g;
      p.data[i + 2] = b;
      p.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(p);
}

const readLines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('lantern predict --model pneumonia-xray', () => {
  it('answers a chest X-ray, abstains on a blank image, a colour photo and an adult', async () => {
    const files = {
      cxr: join(dir, 'cxr.png'),
      blank: join(dir, 'blank.png'),
      photo: join(dir, 'photo.png'),
    };
    writeFileSync(files.cxr, chestXrayPng());
    writeFileSync(
      files.blank,
      png(256, 256, () => [128, 128, 128]),
    );
    writeFileSync(
      files.photo,
      png(120, 90, (x, y) => [200, 100 + (x % 50), 40 + (y % 30)]),
    );
    const input = join(dir, 'in.jsonl');
    writeFileSync(
      input,
      [
        { id: 'a', image: files.cxr },
        { id: 'b', image: files.blank },
        { id: 'c', image: files.photo },
        { id: 'd', image: files.cxr, patient: { ageYears: 54, sex: 'female' } },
        { id: 'e', image: files.cxr, patient: { ageYears: 'old' } },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const output = join(dir, 'out.jsonl');
    await predictCommand('pneumonia-xray', input, output);
    const [a, b, c, d, e] = readLines(output);
    expect(Object.keys(a!)).toEqual(['id', 'probabilities']);
    expect(b).toEqual({ id: 'b', abstained: { code: 'OUT_OF_DISTRIBUTION', message: expect.stringContaining('does not look like the chest X-rays') } });
    expect(c).toEqual({ id: 'c', abstained: { code: 'OUT_OF_SCOPE', message: expect.stringContaining('colour') } });
    expect(d).toEqual({ id: 'd', abstained: { code: 'OUT_OF_SCOPE', message: expect.stringContaining('54 years old') } });
    expect(e).toMatchObject({ id: 'e', error: { code: 'VALIDATION_FAILED', field: 'patient.ageYears' } });
  });

  it.skipIf(!existsSync(mrDicom))('abstains on an MR DICOM by its Modality (needs ../shared/data)', async () => {
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, JSON.stringify({ id: 'mr', image: mrDicom }));
    const output = join(dir, 'out.jsonl');
    await predictCommand('pneumonia-xray', input, output);
    expect(readLines(output)).toEqual([{ id: 'mr', abstained: { code: 'OUT_OF_SCOPE', message: expect.stringContaining('DICOM Modality MR') } }]);
  });
});

describe('lantern segment --model retina-vessels', () => {
  it('writes no map for a chest X-ray or noise, and logs the abstentions', async () => {
    const cxr = join(dir, 'cxr.png');
    writeFileSync(cxr, chestXrayPng());
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 255;
    const noise = join(dir, 'noise.png');
    writeFileSync(
      noise,
      png(565, 584, () => [rnd(), rnd(), rnd()]),
    );
    const input = join(dir, 'in.jsonl');
    writeFileSync(
      input,
      [
        { id: 'cxr', image: cxr },
        { id: 'noise', image: noise },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const out = join(dir, 'maps');
    const summary = await segmentCommand('retina-vessels', input, out);
    expect(summary).toMatch(/^0 segmented, 2 not analysable, 0 with errors/);
    expect(readdirSync(out)).toEqual(['segment-log.jsonl']);
    const [c, n] = readLines(join(out, 'segment-log.jsonl'));
    expect(c).toEqual({ id: 'cxr', abstained: { code: 'OUT_OF_SCOPE', message: expect.stringContaining('greyscale') } });
    expect(n).toEqual({ id: 'noise', abstained: { code: 'OUT_OF_DISTRIBUTION', message: expect.any(String) } });
  });

  it.skipIf(!existsSync(driveImagePath(dataDir)))('segments a held-out DRIVE photograph (needs ../shared/data)', async () => {
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, JSON.stringify({ id: 'drive24', image: driveImagePath(dataDir) }));
    const out = join(dir, 'maps');
    await segmentCommand('retina-vessels', input, out);
    expect(readLines(join(out, 'segment-log.jsonl'))).toEqual([{ id: 'drive24', output: join(out, 'drive24.png'), width: 565, height: 584 }]);
    expect(existsSync(join(out, 'drive24.png'))).toBe(true);
  });
});
