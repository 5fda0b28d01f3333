/**
 * The binary export of a forest (`model.bin` beside `model.json`): the same trees as column tables
 * (forestTables.ts) in raw little-endian arrays, so loading is a few typed-array views instead of
 * parsing 3.6 MB of JSON (about 0.25 s of a 20,000-line `lantern predict`, issue 13). Written by
 * models/training/exportForestBinary.ts from model.json; the JSON stays the artefact of record.
 *
 * Layout:
 *   bytes 0..7    magic "LNTFRST1"
 *   bytes 8..11   header length H, uint32 little-endian
 *   bytes 12..    header: UTF-8 JSON (BinaryForestHeader), zero-padded to a multiple of 8
 *   then          the arrays named by the header, each at a multiple of 8 from the start of this section
 *
 * The header names the sha256 of the model.json it was made from: the registry loads the binary
 * only where that is the artefact the manifest names, so a stale export cannot stand in for a
 * retrained forest. Node built-ins only.
 */
import { FOREST_FORMAT, validateForestHeader, type ForestHeader } from './forestFormat';
import { validateForestTables, type FloatArray, type ForestTables, type IntArray } from './forestTables';

export const FOREST_BINARY_FORMAT = 'lantern-forest-binary/1';
const MAGIC = Buffer.from('LNTFRST1', 'latin1');

type ArrayType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

const CTORS = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

const INT_TYPES: readonly ArrayType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'];

/** The integer columns of ForestTables, in file order; then `threshold`, the one float column. */
const INT_COLUMNS = ['treeStart', 'feature', 'left', 'right', 'vote', 'samples', 'distStart', 'distClass', 'distCount'] as const;
type Column = (typeof INT_COLUMNS)[number] | 'threshold';

interface ArrayRef {
  type: ArrayType;
  /** Bytes from the start of the array section; a multiple of 8. */
  offset: number;
  length: number;
}

export interface BinaryForestHeader {
  format: typeof FOREST_BINARY_FORMAT;
  /** The model.json these tables were exported from. */
  source: { format: typeof FOREST_FORMAT; sha256: string };
  forest: ForestHeader;
  arrays: Record<Column, ArrayRef>;
}

/** The narrowest type that holds every value exactly. */
function narrowest(values: ArrayLike<number>, float: boolean): ArrayType {
  if (float) {
    for (let i = 0; i < values.length; i++) if (Math.fround(values[i] as number) !== values[i]) return 'float64';
    return 'float32';
  }
  let min = 0;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min >= -128 && max <= 127) return 'int8';
  if (min >= 0 && max <= 255) return 'uint8';
  if (min >= -32768 && max <= 32767) return 'int16';
  if (min >= 0 && max <= 65535) return 'uint16';
  if (min >= -(2 ** 31) && max < 2 ** 31) return 'int32';
  return 'uint32';
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/**
 * The bytes of the binary export of `tables`, exported from the model.json whose sha256 is
 * `sourceSha256`. Deterministic: the same tables give the same bytes.
 */
export function encodeForestBinary(tables: ForestTables, sourceSha256: string): Buffer {
  if (!/^[0-9a-f]{64}$/.test(sourceSha256)) throw new TypeError('sourceSha256 must be 64 hex digits');
  const columns: [Column, ArrayLike<number>, ArrayType][] = [
    ...INT_COLUMNS.map((c): [Column, ArrayLike<number>, ArrayType] => [c, tables[c], narrowest(tables[c], false)]),
    ['threshold', tables.threshold, narrowest(tables.threshold, true)],
  ];
  const arrays = {} as Record<Column, ArrayRef>;
  let offset = 0;
  for (const [name, values, type] of columns) {
    arrays[name] = { type, offset, length: values.length };
    offset = align8(offset + values.length * CTORS[type].BYTES_PER_ELEMENT);
  }
  const header: BinaryForestHeader = { format: FOREST_BINARY_FORMAT, source: { format: FOREST_FORMAT, sha256: sourceSha256 }, forest: tables.header, arrays };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const dataStart = align8(12 + headerBytes.length);
  const out = Buffer.alloc(dataStart + offset);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(out, 12);
  for (const [name, values, type] of columns) {
    const { offset: at } = arrays[name];
    // Written element by element through DataView: little-endian whatever the machine.
    const view = new DataView(out.buffer, out.byteOffset + dataStart + at);
    const size = CTORS[type].BYTES_PER_ELEMENT;
    const setter = {
      int8: view.setInt8,
      uint8: view.setUint8,
      int16: view.setInt16,
      uint16: view.setUint16,
      int32: view.setInt32,
      uint32: view.setUint32,
      float32: view.setFloat32,
      float64: view.setFloat64,
    }[type].bind(view) as (at: number, v: number, le: boolean) => void;
    for (let i = 0; i < values.length; i++) setter(i * size, values[i] as number, true);
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A typed array over the file's bytes where the machine and the alignment allow, else a copy. */
function arrayAt(bytes: Buffer, start: number, ref: ArrayRef): IntArray | FloatArray {
  const Ctor = CTORS[ref.type];
  const at = bytes.byteOffset + start;
  if (LITTLE_ENDIAN && at % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(bytes.buffer as ArrayBuffer, at, ref.length);
  const copy = new Ctor(ref.length);
  const view = new DataView(bytes.buffer, at, ref.length * Ctor.BYTES_PER_ELEMENT);
  const size = Ctor.BYTES_PER_ELEMENT;
  const get = (i: number): number => {
    switch (ref.type) {
      case 'int8':
        return view.getInt8(i);
      case 'uint8':
        return view.getUint8(i);
      case 'int16':
        return view.getInt16(i * size, true);
      case 'uint16':
        return view.getUint16(i * size, true);
      case 'int32':
        return view.getInt32(i * size, true);
      case 'uint32':
        return view.getUint32(i * size, true);
      case 'float32':
        return view.getFloat32(i * size, true);
      default:
        return view.getFloat64(i * size, true);
    }
  };
  for (let i = 0; i < ref.length; i++) copy[i] = get(i);
  return copy;
}

/**
 * Reads a binary export: header checked, arrays as typed arrays over `bytes` (not copied where
 * aligned), trees validated like model.json's. Throws TypeError naming the problem.
 */
export function decodeForestBinary(bytes: Buffer): { sourceSha256: string; tables: ForestTables } {
  const fail = (msg: string): never => {
    throw new TypeError(`invalid forest binary: ${msg}`);
  };
  if (bytes.length < 12 || !bytes.subarray(0, 8).equals(MAGIC)) fail('not a Lantern forest binary (magic)');
  const headerLength = bytes.readUInt32LE(8);
  if (12 + headerLength > bytes.length) fail('header runs past the end of the file');
  let header: BinaryForestHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as BinaryForestHeader;
  } catch {
    return fail('header is not JSON');
  }
  if (header === null || typeof header !== 'object' || header.format !== FOREST_BINARY_FORMAT) fail(`format ${String(header?.format)}`);
  if (header.source?.format !== FOREST_FORMAT || typeof header.source.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(header.source.sha256)) fail('source');
  const forest = validateForestHeader(header.forest);
  const dataStart = align8(12 + headerLength);
  const dataLength = bytes.length - dataStart;
  const arrays = header.arrays as Record<string, ArrayRef> | undefined;
  if (arrays === null || typeof arrays !== 'object') return fail('arrays');
  const read = (name: Column, float: boolean): IntArray | FloatArray => {
    const ref = arrays[name];
    if (ref === undefined || ref === null || typeof ref !== 'object') return fail(`array ${name} missing`);
    if (!(float ? ref.type === 'float32' || ref.type === 'float64' : INT_TYPES.includes(ref.type))) fail(`array ${name}: type ${String(ref.type)}`);
    if (!Number.isInteger(ref.offset) || ref.offset < 0 || ref.offset % 8 !== 0 || !Number.isInteger(ref.length) || ref.length < 0)
      fail(`array ${name}: place`);
    if (ref.offset + ref.length * CTORS[ref.type].BYTES_PER_ELEMENT > dataLength) fail(`array ${name} runs past the end of the file`);
    return arrayAt(bytes, dataStart + ref.offset, ref);
  };
  const ints = {} as Record<(typeof INT_COLUMNS)[number], IntArray>;
  for (const c of INT_COLUMNS) ints[c] = read(c, false) as IntArray;
  const tables: ForestTables = { header: forest, ...ints, threshold: read('threshold', true) as FloatArray };
  validateForestTables(tables);
  return { sourceSha256: header.source.sha256, tables };
}
