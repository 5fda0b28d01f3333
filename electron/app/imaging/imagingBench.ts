/**
 * Timing of the DICOM intake path (parse → decode first frame → rescale/window), for `npm run bench`
 * or a one-off measurement. Tests call it only to check that it runs; they assert no timings.
 */
import { performance } from 'node:perf_hooks';
import { decodeDicom } from './dicomDecode';
import { dicomFrameToDisplay } from './imageDecode';

export interface DecodeTiming {
  fileName: string;
  transferSyntax: string;
  rows: number;
  columns: number;
  iterations: number;
  /** The first run, which also instantiates the codec's WebAssembly module. */
  firstMs: number;
  medianMs: number;
  minMs: number;
  /** Mean display value of the last run, so that the work cannot be optimised away. */
  checksum: number;
}

/** Decodes the first frame of `bytes` to display values `iterations` times (at least 1) and reports how long it took. */
export function timeDicomDecode(bytes: Uint8Array, fileName: string, iterations = 10, clock: () => number = () => performance.now()): DecodeTiming {
  const runs = Math.max(1, Math.floor(iterations));
  const samples: number[] = [];
  let checksum = 0;
  let meta = { transferSyntax: '', rows: 0, columns: 0 };
  for (let i = 0; i < runs; i++) {
    const t0 = clock();
    const img = decodeDicom(bytes, fileName);
    const display = dicomFrameToDisplay(img, img.frame(0));
    samples.push(clock() - t0);
    let sum = 0;
    for (let k = 0; k < display.data.length; k++) sum += display.data[k]!;
    checksum = display.data.length ? sum / display.data.length : 0;
    meta = { transferSyntax: img.transferSyntax, rows: img.rows, columns: img.columns };
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    fileName,
    ...meta,
    iterations: runs,
    firstMs: round(samples[0]!),
    medianMs: round(sorted[Math.floor(sorted.length / 2)]!),
    minMs: round(sorted[0]!),
    checksum,
  };
}
