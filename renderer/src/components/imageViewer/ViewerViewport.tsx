import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { clearFeatureReady, markFeatureReady } from '../../readiness';
import { renderOverlay } from './colourMap';
import { dragWindow, renderWindowed, type DisplayWindow } from './pixels';
import type { DecodedFrame } from './useImageFrame';
import { fitView, panBy, zoomAt, type ViewTransform } from './viewTransform';
import type { Point } from '../../../../electron/contract/pixelSpacing';

export type ViewerTool = 'window' | 'length' | 'roi';
export interface Measurement {
  kind: 'length' | 'roi';
  a: Point;
  b: Point;
}

export interface DecodedOverlay {
  width: number;
  height: number;
  bytes: Uint8Array;
}

export type FrameStep = -1 | 1 | 'first' | 'last';

interface Props {
  frame: DecodedFrame;
  loading: boolean;
  window: DisplayWindow;
  onWindow: (w: DisplayWindow) => void;
  /** Null until the viewport has measured itself and fitted the image. */
  view: ViewTransform | null;
  onView: (v: ViewTransform) => void;
  /** Bumped to fit the image to the viewport again. */
  fitRequest: number;
  overlay: DecodedOverlay | null;
  overlayOpacity: number;
  panMode: boolean;
  /** Returns whether there was a frame to step to (so arrow keys scroll the page otherwise). */
  onStepFrame: (step: FrameStep) => boolean;
  label: string;
  describedBy: string;
  /** What a plain drag does: window/level, or draw a length or a rectangle ROI. */
  tool: ViewerTool;
  /** Shown inverted on top of the file's own photometric interpretation. */
  invertDisplay: boolean;
  measurements: readonly Measurement[];
  onMeasure: (m: Measurement) => void;
}

const KEY_PAN = 24;
const KEY_ZOOM = 1.25;

/**
 * The image (window/level applied here, client-side) on one canvas and a model overlay on a second,
 * both in a stage that is zoomed and panned with a CSS transform. Drag = window/level, Shift+drag
 * (or pan mode, or the middle button) = pan, wheel = zoom about the pointer; keys as in the help text.
 */
export function ViewerViewport(props: Props) {
  const { frame, loading, window: win, view, overlay, overlayOpacity, panMode } = props;
  const viewportRef = useRef<HTMLDivElement>(null);
  const imageRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const imageData = useRef<ImageData | null>(null);
  const drag = useRef<{ x: number; y: number; pan: boolean; window: DisplayWindow; view: ViewTransform; measure: Point | null } | null>(null);
  const [draft, setDraft] = useState<Measurement | null>(null);
  // Latest props for the native wheel listener and the deferred draw.
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });
  const { t } = useTranslation();

  const { width, height, channels, invert } = frame.meta;

  useEffect(() => () => clearFeatureReady('viewer'), []);

  // Fit on first show and on request.
  useLayoutEffect(() => {
    const el = viewportRef.current;
    if (!el) return;
    const rect = el.getBoundingClientRect();
    latest.current.onView(fitView(width, height, rect.width, rect.height));
  }, [props.fitRequest, width, height]);

  // Draw the frame with the current window (at most once per animation frame while dragging).
  useEffect(() => {
    const id = requestAnimationFrame(() => {
      const canvas = imageRef.current;
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx) return;
      if (canvas.width !== width) canvas.width = width;
      if (canvas.height !== height) canvas.height = height;
      let data = imageData.current;
      if (!data || data.width !== width || data.height !== height) {
        data = ctx.createImageData(width, height);
        imageData.current = data;
      }
      renderWindowed(frame.pixels, channels, win, invert !== props.invertDisplay, data.data);
      ctx.putImageData(data, 0, 0);
      if (!latest.current.loading) markFeatureReady('viewer');
    });
    return () => cancelAnimationFrame(id);
  }, [frame, win, width, height, channels, invert, loading, props.invertDisplay]);

  useEffect(() => {
    if (!overlay) return;
    const canvas = overlayRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    canvas.width = overlay.width;
    canvas.height = overlay.height;
    const data = ctx.createImageData(overlay.width, overlay.height);
    renderOverlay(overlay.bytes, data.data);
    ctx.putImageData(data, 0, 0);
    markFeatureReady('overlay');
    return () => clearFeatureReady('overlay');
  }, [overlay]);

  // React's wheel listener is passive; zooming must stop the page from scrolling.
  useEffect(() => {
    const el = viewportRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const current = latest.current.view;
      if (!current) return;
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      latest.current.onView(zoomAt(current, factor, e.clientX - rect.left, e.clientY - rect.top));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    if (!view || (e.button !== 0 && e.button !== 1)) return;
    e.preventDefault();
    e.currentTarget.focus();
    e.currentTarget.setPointerCapture(e.pointerId);
    const pan = panMode || e.shiftKey || e.button === 1;
    const measure = !pan && props.tool !== 'window' ? imagePoint(e, view) : null;
    drag.current = { x: e.clientX, y: e.clientY, pan, window: win, view, measure };
  }

  /** The image pixel coordinate under the pointer (screen = pan + zoom × image). */
  function imagePoint(e: PointerEvent<HTMLDivElement>, v: ViewTransform): Point {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: (e.clientX - rect.left - v.panX) / v.zoom, y: (e.clientY - rect.top - v.panY) / v.zoom };
  }

  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (d.measure && props.tool !== 'window') setDraft({ kind: props.tool, a: d.measure, b: imagePoint(e, d.view) });
    else if (d.pan) props.onView(panBy(d.view, dx, dy));
    else props.onWindow(dragWindow(d.window, dx, dy, frame.range));
  }

  function endDrag(e: PointerEvent<HTMLDivElement>) {
    if (!drag.current) return;
    const d = drag.current;
    drag.current = null;
    if (d.measure && props.tool !== 'window') {
      const m: Measurement = { kind: props.tool, a: d.measure, b: imagePoint(e, d.view) };
      setDraft(null);
      // A click without a drag is not a measurement.
      if (Math.hypot(m.b.x - m.a.x, m.b.y - m.a.y) * d.view.zoom >= 3) props.onMeasure(m);
    }
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  }

  function centreZoom(factor: number) {
    const el = viewportRef.current;
    if (!view || !el) return;
    const rect = el.getBoundingClientRect();
    props.onView(zoomAt(view, factor, rect.width / 2, rect.height / 2));
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    let handled = true;
    if (e.shiftKey && e.key.startsWith('Arrow') && view) {
      const dx = e.key === 'ArrowLeft' ? KEY_PAN : e.key === 'ArrowRight' ? -KEY_PAN : 0;
      const dy = e.key === 'ArrowUp' ? KEY_PAN : e.key === 'ArrowDown' ? -KEY_PAN : 0;
      props.onView(panBy(view, dx, dy));
    } else {
      switch (e.key) {
        case 'PageUp':
        case 'ArrowUp':
        case 'ArrowLeft':
          handled = props.onStepFrame(-1);
          break;
        case 'PageDown':
        case 'ArrowDown':
        case 'ArrowRight':
          handled = props.onStepFrame(1);
          break;
        case 'Home':
          handled = props.onStepFrame('first');
          break;
        case 'End':
          handled = props.onStepFrame('last');
          break;
        case '+':
        case '=':
          centreZoom(KEY_ZOOM);
          break;
        case '-':
        case '_':
          centreZoom(1 / KEY_ZOOM);
          break;
        default:
          handled = false;
      }
    }
    if (handled) e.preventDefault();
  }

  const stageStyle = view
    ? {
        width: `${width}px`,
        height: `${height}px`,
        transform: `translate(${view.panX}px, ${view.panY}px) scale(${view.zoom})`,
      }
    : { width: `${width}px`, height: `${height}px`, visibility: 'hidden' as const };

  return (
    <div
      ref={viewportRef}
      className={`viewer-viewport${panMode ? ' mode-pan' : ''}`}
      role="application"
      aria-roledescription={t('viewer.roleDescription')}
      aria-label={props.label}
      aria-describedby={props.describedBy}
      aria-busy={loading}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
    >
      <div className="viewer-stage" style={stageStyle}>
        <canvas ref={imageRef} className="viewer-image" data-testid="viewer-image" />
        {overlay ? <canvas ref={overlayRef} className="viewer-overlay" data-testid="viewer-overlay" style={{ opacity: overlayOpacity }} /> : null}
        <svg className="viewer-measurements" viewBox={`0 0 ${width} ${height}`} width={width} height={height} aria-hidden="true">
          {[...props.measurements, ...(draft ? [draft] : [])].map((m, i) =>
            m.kind === 'length' ? (
              <line key={i} x1={m.a.x} y1={m.a.y} x2={m.b.x} y2={m.b.y} vectorEffect="non-scaling-stroke" />
            ) : (
              <rect
                key={i}
                x={Math.min(m.a.x, m.b.x)}
                y={Math.min(m.a.y, m.b.y)}
                width={Math.abs(m.b.x - m.a.x)}
                height={Math.abs(m.b.y - m.a.y)}
                vectorEffect="non-scaling-stroke"
              />
            ),
          )}
        </svg>
      </div>
    </div>
  );
}
