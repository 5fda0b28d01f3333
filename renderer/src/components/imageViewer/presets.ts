import type { DisplayWindow, ValueRange } from './pixels';

export type PresetId = 'file' | 'full' | 'auto' | 'lung' | 'mediastinum' | 'bone' | 'brain';

export interface WindowPreset extends DisplayWindow {
  id: PresetId;
}

/** CT-like: values span air (≈ −1000 HU) to at least soft tissue. */
export function looksLikeHounsfield(range: ValueRange): boolean {
  return range.min <= -500 && range.max >= 100 && range.max <= 32767;
}

/** The usual CT windows (as OHIF offers them), centre/width in HU. */
const ctPresets: readonly WindowPreset[] = [
  { id: 'lung', centre: -600, width: 1500 },
  { id: 'mediastinum', centre: 50, width: 350 },
  { id: 'bone', centre: 400, width: 1800 },
  { id: 'brain', centre: 40, width: 80 },
];

/**
 * The window that holds the middle 98 % of the pixels (1st to 99th percentile): MR has no fixed
 * units, so a window must come from the image itself; on a radiograph it ignores collimator black
 * and burned-in white. Sampled (at most 65,536 values) so a large frame stays fast.
 */
export function autoWindow(pixels: Float32Array, channels: 1 | 3 = 1): DisplayWindow | null {
  const count = Math.floor(pixels.length / channels);
  if (count === 0) return null;
  const stride = Math.max(1, Math.floor(count / 65536));
  const sample: number[] = [];
  for (let p = 0; p < count; p += stride) {
    const v = pixels[p * channels]!;
    if (Number.isFinite(v)) sample.push(v);
  }
  if (sample.length === 0) return null;
  sample.sort((a, b) => a - b);
  const at = (q: number) => sample[Math.min(sample.length - 1, Math.max(0, Math.round(q * (sample.length - 1))))]!;
  const low = at(0.01);
  const high = at(0.99);
  if (!(high > low)) return null;
  return { centre: (low + high) / 2, width: high - low };
}

/**
 * Presets per modality: CT (or Hounsfield-like values without a modality) gets lung, mediastinum,
 * bone and brain; MR gets auto; CR/DX/MG (radiographs) the file's window first, then auto. Every
 * image keeps its file window and the full range.
 */
export function windowPresets(file: DisplayWindow, range: ValueRange, modality = '', pixels?: Float32Array, channels: 1 | 3 = 1): WindowPreset[] {
  const full: WindowPreset = {
    id: 'full',
    centre: (range.min + range.max) / 2,
    width: Math.max(range.max - range.min, 1e-6),
  };
  const out: WindowPreset[] = [];
  if (Number.isFinite(file.centre) && Number.isFinite(file.width) && file.width > 0) {
    out.push({ id: 'file', centre: file.centre, width: file.width });
  }
  out.push(full);
  const m = modality.trim().toUpperCase();
  const isCt = m === 'CT' || (m === '' && looksLikeHounsfield(range));
  if (isCt) out.push(...ctPresets);
  else if (pixels && (m === 'MR' || m === 'CR' || m === 'DX' || m === 'MG' || m === 'RF' || m === 'XA')) {
    const auto = autoWindow(pixels, channels);
    if (auto) out.push({ id: 'auto', ...auto });
  }
  return out;
}

/** The preset a window equals, if any (so the select shows "Custom" after a drag). */
export function matchingPreset(presets: readonly WindowPreset[], w: DisplayWindow): PresetId | null {
  const close = (a: number, b: number) => Math.abs(a - b) <= Math.max(1e-9, Math.abs(b) * 1e-6);
  return presets.find((p) => close(p.centre, w.centre) && close(p.width, w.width))?.id ?? null;
}
