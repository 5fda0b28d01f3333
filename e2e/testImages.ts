/**
 * Images made in the test from committed fixtures, so image specs need no data set: an 8-bit PNG
 * from a pixel function, and a chest X-ray from the pneumonia model's parity fixture.
 */
import { deflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './fixtures';

/** An 8-bit PNG (grey or RGB) from a pixel function, made here so the tests need no data set. */
export function makePng(size: number, channels: 1 | 3, pixel: (x: number, y: number) => number[]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, body: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(typed));
    return Buffer.concat([len, typed, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = channels === 1 ? 0 : 2; // greyscale or truecolour
  const stride = size * channels + 1;
  const rows = Buffer.alloc(size * stride);
  for (let y = 0; y < size; y++) {
    rows[y * stride] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      pixel(x, y).forEach((v, c) => (rows[y * stride + 1 + x * channels + c] = Math.max(0, Math.min(255, Math.round(v)))));
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A PneumoniaMNIST validation chest X-ray from the model's committed parity fixture, 4x larger. */
export function chestXrayPng(): Buffer {
  const fixture = JSON.parse(readFileSync(join(projectRoot, 'models', 'runtime', 'imaging', 'fixtures', 'pneumonia-fixture.json'), 'utf8')) as {
    validation: { pixelsU8: string }[];
  };
  const px = Buffer.from(fixture.validation[0]!.pixelsU8, 'base64');
  return makePng(112, 1, (x, y) => [px[Math.floor(y / 4) * 28 + Math.floor(x / 4)]!]);
}
