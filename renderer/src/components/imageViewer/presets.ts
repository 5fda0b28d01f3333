import type { DisplayWindow, ValueRange } from './pixels';

export type PresetId = 'file' | 'full' | 'lung' | 'bone' | 'soft' | 'brain';

export interface WindowPreset extends DisplayWindow {
  id: PresetId;
}

/** CT-like: values span air (≈ −1000 HU) to at least soft tissue. */
export function looksLikeHounsfield(range: ValueRange): boolean {
  return range.min <= -500 && range.max >= 100 && range.max <= 32767;
}

const ctPresets: readonly WindowPreset[] = [
  { id: 'lung', centre: -600, width: 1500 },
  { id: 'bone', centre: 400, width: 1800 },
  { id: 'soft', centre: 40, width: 400 },
  { id: 'brain', centre: 40, width: 80 },
];

export function windowPresets(file: DisplayWindow, range: ValueRange): WindowPreset[] {
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
  if (looksLikeHounsfield(range)) out.push(...ctPresets);
  return out;
}

/** The preset a window equals, if any (so the select shows "Custom" after a drag). */
export function matchingPreset(presets: readonly WindowPreset[], w: DisplayWindow): PresetId | null {
  const close = (a: number, b: number) => Math.abs(a - b) <= Math.max(1e-9, Math.abs(b) * 1e-6);
  return presets.find((p) => close(p.centre, w.centre) && close(p.width, w.width))?.id ?? null;
}
