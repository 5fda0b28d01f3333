/** A built-in viridis colour map (perceptually uniform, readable in greyscale and by most colour-blind viewers). */

const anchors: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [71, 45, 123],
  [59, 82, 139],
  [44, 114, 142],
  [33, 145, 140],
  [40, 174, 128],
  [94, 201, 98],
  [173, 220, 48],
  [253, 231, 37],
];

/** 256 RGB triples, index = overlay byte. */
export const viridis: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  const segments = anchors.length - 1;
  for (let i = 0; i < 256; i++) {
    const pos = (i / 255) * segments;
    const k = Math.min(segments - 1, Math.floor(pos));
    const f = pos - k;
    const a = anchors[k]!;
    const b = anchors[k + 1]!;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(a[c]! + (b[c]! - a[c]!) * f);
  }
  return lut;
})();

/** Overlay bytes below this are not drawn, so the image shows through where the model sees nothing. */
export const OVERLAY_THRESHOLD = 13;

export function renderOverlay(bytes: Uint8Array, out: Uint8ClampedArray, lut: Uint8Array = viridis): void {
  const pixels = Math.min(bytes.length, out.length / 4);
  for (let p = 0; p < pixels; p++) {
    const v = bytes[p]!;
    const j = p * 4;
    out[j] = lut[v * 3]!;
    out[j + 1] = lut[v * 3 + 1]!;
    out[j + 2] = lut[v * 3 + 2]!;
    out[j + 3] = v < OVERLAY_THRESHOLD ? 0 : 255;
  }
}

/** The colour bar: one row, 256 opaque pixels. */
export function renderColourBar(out: Uint8ClampedArray, lut: Uint8Array = viridis): void {
  for (let i = 0; i < 256; i++) {
    out[i * 4] = lut[i * 3]!;
    out[i * 4 + 1] = lut[i * 3 + 1]!;
    out[i * 4 + 2] = lut[i * 3 + 2]!;
    out[i * 4 + 3] = 255;
  }
}
