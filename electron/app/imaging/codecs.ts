/**
 * The compressed-pixel codecs: libjpeg-turbo (8-bit JPEG), CharLS (JPEG-LS) and OpenJPEG (JPEG 2000)
 * as the WebAssembly builds the Cornerstone project publishes on npm, plus the JavaScript JPEG
 * lossless decoder. Each WebAssembly module is compiled and instantiated synchronously on first use
 * (Node allows synchronous compilation of any size), so decoding stays synchronous for callers.
 *
 * Every function here returns raw component samples, interleaved, with the codestream's own notion of
 * signedness; the DICOM-level interpretation (Pixel Representation, Bits Stored, colour) is the
 * caller's job.
 */
import { readFileSync } from 'node:fs';
import { Decoder as JpegLosslessDecoder } from '@cornerstonejs/jpeg-lossless-decoder-js';

export interface CodecOutput {
  width: number;
  height: number;
  components: number;
  bitsPerSample: number;
  /** True where the codestream itself marks samples as signed (JPEG 2000 only). */
  signed: boolean;
  /** Interleaved samples, a copy owned by the caller. */
  samples: Uint8Array | Uint16Array | Int16Array | Int8Array;
}

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

interface EmscriptenDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): FrameInfo;
  getDecodedBuffer(): Uint8Array;
}

interface CodecModule {
  [name: string]: unknown;
  getExceptionMessage?: (e: number) => string;
}

type EmscriptenFactory = (moduleArg: Record<string, unknown>) => Promise<unknown>;

/** The slice of the WebAssembly global used here (the project's lib settings do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const loaded = new Map<string, { module: CodecModule; decoder: EmscriptenDecoder }>();

/**
 * Loads an Emscripten module synchronously: `instantiateWasm` hands the factory a ready instance,
 * so the runtime initialises before the factory returns and the classes are on `moduleArg`.
 */
function loadCodec(key: string, jsSpecifier: string, wasmSpecifier: string, className: string) {
  const hit = loaded.get(key);
  if (hit) return hit;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the codec is chosen at run time and loaded on first use
  const factory = require(jsSpecifier) as EmscriptenFactory;
  const wasmPath = require.resolve(wasmSpecifier);
  const wasmBytes = readFileSync(wasmPath);
  const moduleArg: Record<string, unknown> = {
    locateFile: () => wasmPath,
    print: () => undefined,
    printErr: () => undefined,
    instantiateWasm(imports: object, receive: (instance: { exports: object }) => void) {
      const instance = new wasm.Instance(new wasm.Module(wasmBytes), imports);
      receive(instance);
      return instance.exports;
    },
  };
  const ready = factory(moduleArg);
  // The promise settles later; failures surface as the missing class below.
  void Promise.resolve(ready).catch(() => undefined);
  const module = moduleArg as CodecModule;
  const Ctor = module[className] as (new () => EmscriptenDecoder) | undefined;
  if (typeof Ctor !== 'function') throw new Error(`codec ${key} did not initialise (no ${className})`);
  const entry = { module, decoder: new Ctor() };
  loaded.set(key, entry);
  return entry;
}

function runEmscripten(key: string, jsSpecifier: string, wasmSpecifier: string, className: string, data: Uint8Array): CodecOutput {
  const { module, decoder } = loadCodec(key, jsSpecifier, wasmSpecifier, className);
  try {
    decoder.getEncodedBuffer(data.length).set(data);
    decoder.decode();
    const info = decoder.getFrameInfo();
    // OpenJPEG reports some failures only as an empty image.
    if (!info.width || !info.height) throw new Error(`${key} could not decode the codestream (no image in it)`);
    const decoded = decoder.getDecodedBuffer();
    const copy = new Uint8Array(decoded.length);
    copy.set(decoded);
    const signed = info.isSigned === true;
    const wide = info.bitsPerSample > 8;
    const samples = wide
      ? signed
        ? new Int16Array(copy.buffer, 0, copy.length >> 1)
        : new Uint16Array(copy.buffer, 0, copy.length >> 1)
      : signed
        ? new Int8Array(copy.buffer)
        : copy;
    return {
      width: info.width,
      height: info.height,
      components: info.componentCount,
      bitsPerSample: info.bitsPerSample,
      signed,
      samples,
    };
  } catch (e) {
    // Emscripten C++ exceptions arrive as numbers (pointers); ask the module for their text where it can tell.
    if (typeof e === 'number') {
      let text = `${key} rejected the data (corrupt or unsupported codestream)`;
      if (module.getExceptionMessage) {
        try {
          text = String(module.getExceptionMessage(e));
        } catch {
          // keep the generic text
        }
      }
      throw new Error(text, { cause: e });
    }
    throw e instanceof Error ? e : new Error(String(e));
  }
}

/** 8-bit JPEG (baseline, extended 8-bit, progressive) via libjpeg-turbo. Colour comes out RGB. */
export function decodeJpeg8(data: Uint8Array): CodecOutput {
  return runEmscripten(
    'libjpeg-turbo-8bit',
    '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
    '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm',
    'JPEGDecoder',
    data,
  );
}

/** JPEG-LS lossless and near-lossless via CharLS. */
export function decodeJpegLs(data: Uint8Array): CodecOutput {
  return runEmscripten('charls', '@cornerstonejs/codec-charls/decodewasmjs', '@cornerstonejs/codec-charls/decodewasm', 'JpegLSDecoder', data);
}

/** JPEG 2000 (and HTJ2K) codestreams or JP2 files via OpenJPEG; the inverse colour transform is applied. */
export function decodeJpeg2000(data: Uint8Array): CodecOutput {
  return runEmscripten('openjpeg', '@cornerstonejs/codec-openjpeg/decodewasmjs', '@cornerstonejs/codec-openjpeg/decodewasm', 'J2KDecoder', data);
}

/** JPEG lossless (processes 14 and 14 SV1), any precision up to 16 bits. */
export function decodeJpegLossless(data: Uint8Array, bitsAllocated: number): CodecOutput {
  const decoder = new JpegLosslessDecoder();
  const bytesPerSample = bitsAllocated <= 8 ? 1 : 2;
  const own = data.slice();
  const out = decoder.decode(own.buffer, 0, own.length, bytesPerSample);
  const samples = out instanceof Uint16Array ? out : new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  return {
    width: decoder.xDim,
    height: decoder.yDim,
    components: decoder.numComp,
    bitsPerSample: decoder.precision ?? (bytesPerSample === 1 ? 8 : 16),
    signed: false,
    samples,
  };
}
