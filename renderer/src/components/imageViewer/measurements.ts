/**
 * Points on the image, and whether the file gives a pixel spacing (the viewer says when lengths are
 * in pixels). The app computes and stores the measurements themselves
 * (electron/app/imaging/measurementMath.ts): the viewer shows its figures.
 */
export interface Spacing {
  /** mm between rows (vertical) and between columns (horizontal). */
  row: number;
  column: number;
  source: 'PixelSpacing' | 'ImagerPixelSpacing';
}

export interface Point {
  x: number;
  y: number;
}

export function pixelSpacing(header: Record<string, string>): Spacing | null {
  for (const source of ['PixelSpacing', 'ImagerPixelSpacing'] as const) {
    const parts = (header[source] ?? '')
      .split(/[\\,\s]+/)
      .filter(Boolean)
      .map(Number);
    if (parts.length >= 2 && parts.every((v) => Number.isFinite(v) && v > 0)) return { row: parts[0]!, column: parts[1]!, source };
  }
  return null;
}
