/** Zoom and pan of the image inside the viewport: screen = pan + zoom × image. */
export interface ViewTransform {
  zoom: number;
  panX: number;
  panY: number;
}

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 64;

export function clampZoom(z: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
}

/** Whole image visible, centred. */
export function fitView(imageW: number, imageH: number, viewW: number, viewH: number): ViewTransform {
  if (imageW <= 0 || imageH <= 0 || viewW <= 0 || viewH <= 0) return { zoom: 1, panX: 0, panY: 0 };
  const zoom = clampZoom(Math.min(viewW / imageW, viewH / imageH));
  return { zoom, panX: (viewW - imageW * zoom) / 2, panY: (viewH - imageH * zoom) / 2 };
}

/** Zoom by `factor` keeping the image point under (x, y) where it is. */
export function zoomAt(view: ViewTransform, factor: number, x: number, y: number): ViewTransform {
  const zoom = clampZoom(view.zoom * factor);
  const k = zoom / view.zoom;
  return { zoom, panX: x - (x - view.panX) * k, panY: y - (y - view.panY) * k };
}

export function panBy(view: ViewTransform, dx: number, dy: number): ViewTransform {
  return { ...view, panX: view.panX + dx, panY: view.panY + dy };
}
