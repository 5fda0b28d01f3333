import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, ImageMeasurement, ImageModelAbstention, ImageModelResult, ImageSummary } from '../../../../electron/contract/ipcContract';
import { api } from '../../api/lanternClient';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import { ErrorAlert } from '../ErrorAlert';
import { DicomHeaderTable } from './DicomHeaderTable';
import { FrameControls } from './FrameControls';
import { ImageModelPanel, type ImageModelId } from './ImageModelPanel';
import { OverlayControls } from './OverlayControls';
import { decodeBase64, type DisplayWindow } from './pixels';
import { windowPresets } from './presets';
import { useImageFrame, type DecodedFrame } from './useImageFrame';
import { ViewerViewport, type DecodedOverlay, type FrameStep, type Measurement, type ViewerTool } from './ViewerViewport';
import { MeasureControls } from './MeasureControls';
import { headerSpacing } from '../../../../electron/contract/pixelSpacing';
import { zoomAt, type ViewTransform } from './viewTransform';
import { WindowControls } from './WindowControls';
import { ZoomControls } from './ZoomControls';
import { useIpcQuery } from '../../useIpcQuery';

const noMeasurements: ImageMeasurement[] = [];

interface ModelState {
  running: ImageModelId | null;
  result: ImageModelResult | null;
  overlay: DecodedOverlay | null;
  error: ErrorPayload | null;
  /** The model declined the image: shown as "not analysable", nothing drawn. */
  abstention?: ImageModelAbstention | null;
}

function fileWindow(frame: DecodedFrame): DisplayWindow {
  const { windowCenter: centre, windowWidth: width } = frame.meta;
  if (Number.isFinite(centre) && Number.isFinite(width) && width > 0) return { centre, width };
  const { min, max } = frame.range;
  return { centre: (min + max) / 2, width: Math.max(max - min, 1e-6) };
}

/** DICOM dates are YYYYMMDD; shown like every other date, or as written when malformed. */
function dicomDate(value: string, format: (iso: string) => string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim());
  return m ? format(`${m[1]}-${m[2]}-${m[3]}`) : value;
}

function decodeOverlay(result: ImageModelResult): DecodedOverlay {
  const { width, height, dataBase64 } = result.overlay;
  const bytes = decodeBase64(dataBase64);
  if (bytes.length !== width * height) throw new RangeError(`overlay holds ${bytes.length} bytes, expected ${width * height}`);
  return { width, height, bytes };
}

/** One image: frames, window/level, zoom/pan, header, and the image models with their overlay. */
export function ImageViewer({ image }: { image: ImageSummary }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const [index, setIndex] = useState(0);
  const { frame, loading, error } = useImageFrame(image.id, index);
  // The user's window; until they set one, the file's own window for the frame shown.
  const [userWin, setWin] = useState<DisplayWindow | null>(null);
  const [view, setView] = useState<ViewTransform | null>(null);
  const [fitRequest, setFitRequest] = useState(0);
  const [panMode, setPanMode] = useState(false);
  const [opacity, setOpacity] = useState(0.6);
  const [overlayVisible, setOverlayVisible] = useState(true);
  const [model, setModel] = useState<ModelState>({ running: null, result: null, overlay: null, error: null });
  const viewportBox = useRef<HTMLDivElement>(null);
  const [tool, setTool] = useState<ViewerTool>('window');
  const [inverted, setInverted] = useState(false);
  // Kept with the image: the app computes the values, and they are drawn again when the image is reopened.
  const stored = useIpcQuery(useCallback(() => api.listImageMeasurements({ imageId: image.id }), [image.id]));
  const measurements = stored.value ?? noMeasurements;
  const [changeError, setMeasureError] = useState<ErrorPayload | null>(null);
  const measureError = changeError ?? stored.error;

  async function measure(m: Measurement) {
    const r = await api.addImageMeasurement({ imageId: image.id, frame: index, kind: m.kind, a: m.a, b: m.b });
    if (!r.ok) return setMeasureError(r.error);
    setMeasureError(null);
    stored.update((prev) => [...prev, r.value]);
  }

  async function clearMeasurements() {
    for (const m of measurements) {
      const r = await api.removeImageMeasurement({ measurementId: m.id });
      if (!r.ok) return setMeasureError(r.error);
      stored.update((prev) => prev.filter((x) => x.id !== m.id));
    }
  }

  const firstFrameWindow = useMemo(() => (frame ? fileWindow(frame) : null), [frame]);
  const win = userWin ?? firstFrameWindow;

  const count = Math.max(1, frame?.meta.frames ?? image.frames);
  const modality = frame?.meta.header['Modality'] ?? '';
  const presets = useMemo(
    () => (frame ? windowPresets(fileWindow(frame), frame.range, frame.meta.header['Modality'] ?? '', frame.pixels, frame.meta.channels) : []),
    [frame],
  );

  function go(next: number) {
    setIndex(Math.max(0, Math.min(count - 1, next)));
  }

  function step(s: FrameStep): boolean {
    if (count <= 1) return false;
    if (s === 'first') go(0);
    else if (s === 'last') go(count - 1);
    else go(index + s);
    return true;
  }

  function zoomBy(factor: number) {
    const box = viewportBox.current?.getBoundingClientRect();
    if (!view || !box) return;
    setView(zoomAt(view, factor, box.width / 2, box.height / 2));
  }

  async function run(modelId: ImageModelId) {
    setModel((prev) => ({ ...prev, running: modelId, error: null, abstention: null }));
    const r = await api.runImageModel({ imageId: image.id, modelId });
    if (!r.ok) return setModel((prev) => ({ ...prev, running: null, error: r.error }));
    if ('abstained' in r.value) return setModel({ running: null, result: null, overlay: null, error: null, abstention: r.value });
    try {
      const overlay = decodeOverlay(r.value);
      setOverlayVisible(true);
      setModel({ running: null, result: r.value, overlay, error: null });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      setModel({ running: null, result: r.value, overlay: null, error: { code: 'INTERNAL', message } });
    }
  }

  const frameText = t('viewer.frameOf', { index: index + 1, count });
  const spacing = frame ? headerSpacing(frame.meta.header) : null;

  /** Reset: the file's window, fitted, not inverted, window/level drag. Stored measurements stay (Clear removes them). */
  function reset() {
    if (frame) setWin(fileWindow(frame));
    setFitRequest((n) => n + 1);
    setInverted(false);
    setTool('window');
  }

  function describe(m: ImageMeasurement): string {
    const where = count > 1 ? ` · ${t('viewer.frameOf', { index: m.frame + 1, count })}` : '';
    return describeValue(m) + where;
  }

  function describeValue(m: ImageMeasurement): string {
    if (m.length) return t('viewer.lengthResult', { value: fmt.number(Math.round(m.length.value * 10) / 10), unit: m.length.unit });
    const s = m.roi;
    if (!s) return t('viewer.roiEmpty');
    return t('viewer.roiResult', {
      mean: fmt.number(Math.round(s.mean * 10) / 10),
      sd: fmt.number(Math.round(s.sd * 10) / 10),
      count: s.count,
      area: fmt.number(Math.round(s.area.value * 10) / 10),
      unit: s.area.unit,
    });
  }
  return (
    <section className="image-viewer" aria-labelledby={`${ids}-h`} data-image-id={image.id}>
      <h3 id={`${ids}-h`}>{image.fileName}</h3>
      <p className="image-meta">
        {t('images.meta', {
          kind: t(`images.kind.${image.kind}`),
          width: fmt.number(image.width),
          height: fmt.number(image.height),
          count: image.frames,
        })}{' '}
        · <span className="audit">{t('images.sha', { sha: image.sha256.slice(0, 12) })}</span>
      </p>

      <div className="viewer-toolbar">
        <FrameControls index={index} count={count} onIndex={go} />
        {win ? <WindowControls window={win} presets={presets} onWindow={setWin} /> : null}
        <MeasureControls tool={tool} onTool={setTool} inverted={inverted} onInvert={setInverted} onReset={reset} />
        <ZoomControls zoom={view?.zoom ?? null} onZoom={zoomBy} onFit={() => setFitRequest((n) => n + 1)} panMode={panMode} onPanMode={setPanMode} />
      </div>

      <ErrorAlert error={error} />
      <div ref={viewportBox} className="viewer-box">
        {frame && win ? (
          <ViewerViewport
            frame={frame}
            loading={loading}
            window={win}
            onWindow={setWin}
            view={view}
            onView={setView}
            fitRequest={fitRequest}
            overlay={overlayVisible ? model.overlay : null}
            overlayOpacity={opacity}
            panMode={panMode}
            onStepFrame={step}
            label={t('viewer.label', { file: image.fileName, frame: frameText })}
            describedBy={`${ids}-help`}
            tool={tool}
            invertDisplay={inverted}
            measurements={measurements.filter((m) => m.frame === index)}
            onMeasure={(m) => void measure(m)}
          />
        ) : error ? null : (
          <p className="muted viewer-loading">{t('viewer.loading')}</p>
        )}
        {frame && win ? (
          // Corner text as on a reading workstation; the same facts are in the header table for screen readers.
          <div className="viewer-overlay-text" aria-hidden="true" data-testid="viewer-overlay-text">
            <span className="corner top-left">
              {frame.meta.header['PatientName'] ?? ''}
              <br />
              {frame.meta.header['StudyDate'] ? t('viewer.studyDate', { date: dicomDate(frame.meta.header['StudyDate'], fmt.calendarDate) }) : ''}
            </span>
            <span className="corner top-right">
              {modality}
              <br />
              {frameText}
            </span>
            <span className="corner bottom-left">
              {t('viewer.wl', { width: fmt.number(Math.round(win.width)), centre: fmt.number(Math.round(win.centre)) })}
            </span>
          </div>
        ) : null}
      </div>
      <p id={`${ids}-help`} className="hint">
        {t('viewer.help')}
      </p>
      {win ? (
        <p className="hint viewer-status" data-testid="viewer-status">
          {t('viewer.status', {
            centre: fmt.number(win.centre),
            width: fmt.number(win.width),
            zoom: view ? fmt.percent(view.zoom) : '—',
          })}
        </p>
      ) : null}

      <ErrorAlert error={measureError} />
      {measurements.length > 0 ? (
        <div className="viewer-measurement-list">
          <ol aria-label={t('viewer.measurements')} data-testid="viewer-measurements">
            {measurements.map((m, i) => (
              <li key={i}>{describe(m)}</li>
            ))}
          </ol>
          {spacing ? null : <p className="hint">{t('viewer.noSpacing')}</p>}
          <button type="button" className="link-button" onClick={() => void clearMeasurements()}>
            {t('viewer.clearMeasurements')}
          </button>
        </div>
      ) : null}
      {model.result && model.overlay ? (
        <OverlayControls
          meaning={model.result.overlay.meaning}
          opacity={opacity}
          onOpacity={setOpacity}
          visible={overlayVisible}
          onVisible={setOverlayVisible}
        />
      ) : null}
      <ImageModelPanel
        image={image}
        running={model.running}
        result={model.result}
        abstention={model.abstention ?? null}
        error={model.error}
        onRun={(id) => void run(id)}
      />
      {frame && image.kind === 'dicom' ? <DicomHeaderTable header={frame.meta.header} /> : null}
    </section>
  );
}
