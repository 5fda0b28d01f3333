/**
 * DICOM pixel spacing, read the same way by the app (which measures in mm) and the viewer (which
 * says when lengths are in pixels). PixelSpacing (0028,0030) is "row\column" spacing in mm;
 * ImagerPixelSpacing (0018,1164) is the detector's, used for projection radiographs without
 * PixelSpacing. A leaf that imports nothing, so the renderer may import it as a value.
 */
export interface Spacing {
  /** mm between rows (vertical) and between columns (horizontal). */
  row: number;
  column: number;
  source: 'PixelSpacing' | 'ImagerPixelSpacing';
}

/** A point on the image, in pixels. */
export interface Point {
  x: number;
  y: number;
}

/** The spacing the header gives, or null: then lengths are in pixels and say so. */
export function headerSpacing(header: Record<string, string>): Spacing | null {
  for (const source of ['PixelSpacing', 'ImagerPixelSpacing'] as const) {
    const parts = (header[source] ?? '')
      .split(/[\\,\s]+/)
      .filter(Boolean)
      .map(Number);
    if (parts.length >= 2 && parts.every((v) => Number.isFinite(v) && v > 0)) return { row: parts[0]!, column: parts[1]!, source };
  }
  return null;
}
