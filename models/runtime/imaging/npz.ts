/**
 * Reads NumPy .npz archives (zip of .npy, stored or deflated) holding uint8 arrays: enough for
 * PneumoniaMNIST. Node built-ins only.
 */
import * as fs from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface NpyU8 {
  shape: number[];
  data: Uint8Array;
}

/** The members of a .npz as raw .npy bytes, by member name (e.g. "val_images.npy"). */
export function readNpzMembers(file: string): Map<string, Buffer> {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip archive`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataStart, dataStart + csize);
    out.set(name, method === 0 ? Buffer.from(raw) : inflateRawSync(raw));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** A uint8 .npy array. */
export function readNpyU8(b: Buffer): NpyU8 {
  const headerLen = b.readUInt16LE(8);
  const header = b.toString('latin1', 10, 10 + headerLen);
  if (!header.includes("'descr': '|u1'")) throw new Error(`not a uint8 .npy array: ${header.trim()}`);
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .filter((s) => s.trim() !== '')
    .map(Number);
  return { shape, data: new Uint8Array(b.buffer, b.byteOffset + 10 + headerLen, b.length - 10 - headerLen) };
}

/** Member `name` (without ".npy") of the archive as a uint8 array. */
export function npzU8(members: Map<string, Buffer>, name: string): NpyU8 {
  const b = members.get(`${name}.npy`);
  if (b === undefined) throw new Error(`no ${name}.npy in the archive`);
  return readNpyU8(b);
}
