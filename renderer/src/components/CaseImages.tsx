import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, ImageSummary } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { IMAGE_EXTENSIONS, isAcceptedImageName } from '../imageFiles';
import { ErrorAlert } from './ErrorAlert';
import { ImageViewer } from './imageViewer';
import { canEditClinical, useSessionUser } from '../roles';
import { FormActions } from './FormActions';

/**
 * The picker's filter. It cannot name "no extension", but Chromium's dialog always adds an
 * "All files" choice, and `isAcceptedImageName` is what actually decides.
 */
const ACCEPT = IMAGE_EXTENSIONS.join(',');
/** The contract's bound on the base64 text of one file. */
const MAX_BASE64 = 64 * 1024 * 1024;

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.onload = () => {
      const url = String(reader.result ?? '');
      const comma = url.indexOf(',');
      resolve(comma >= 0 ? url.slice(comma + 1) : '');
    };
    reader.readAsDataURL(file);
  });
}

interface FileFailure {
  fileName: string;
  error: ErrorPayload | null;
  message: string;
  /** Kept for a DICOM stopped as another patient's, so the clinician can confirm and attach it. */
  data?: string;
}

/** Attach images to a saved case, list them, and open one in the viewer. */
export function CaseImages({ caseId, initial }: { caseId: string; initial: ImageSummary[] }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const [images, setImages] = useState<ImageSummary[]>(initial);
  const [selected, setSelected] = useState<string | null>(initial[0]?.id ?? null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [failures, setFailures] = useState<FileFailure[]>([]);
  const [done, setDone] = useState<string>('');
  /** The remove-from-case form for the open image: its reason and the last error. */
  const [removing, setRemoving] = useState<{ reason: string; error: ErrorPayload | null } | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  async function attach(files: File[]) {
    if (files.length === 0 || progress !== null) return;
    const failed: FileFailure[] = [];
    let attached = 0;
    setFailures([]);
    setDone('');
    for (const [i, file] of files.entries()) {
      setProgress({ done: i, total: files.length });
      if (!isAcceptedImageName(file.name)) {
        failed.push({ fileName: file.name, error: null, message: t('images.unsupportedType', { file: file.name }) });
        continue;
      }
      let data: string;
      try {
        data = await readAsBase64(file);
      } catch {
        failed.push({ fileName: file.name, error: null, message: t('images.readFailed', { file: file.name }) });
        continue;
      }
      if (data.length > MAX_BASE64) {
        failed.push({ fileName: file.name, error: null, message: t('images.tooLarge', { file: file.name }) });
        continue;
      }
      const r = await api.attachImage({ caseId, fileName: file.name.slice(0, 255), dataBase64: data });
      if (r.ok) {
        // The new image joins the list (other images stay).
        setImages((prev) => [...prev.filter((x) => x.id !== r.value.id), r.value]);
        // Open the first of a batch; switching on every later file would only make the viewer flash.
        if (attached === 0) setSelected(r.value.id);
        attached += 1;
      } else {
        failed.push({ fileName: file.name, error: r.error, message: r.error.message, ...(r.error.code === 'PATIENT_MISMATCH' ? { data } : {}) });
      }
    }
    setProgress(null);
    setFailures(failed);
    setDone(t('images.attached', { count: attached }));
    if (inputRef.current) inputRef.current.value = '';
  }

  /** The clinician confirmed that a stopped DICOM is this patient's: attach it (the server audits the confirmation). */
  async function confirmAttach(failure: FileFailure) {
    if (failure.data === undefined || progress !== null) return;
    const r = await api.attachImage({ caseId, fileName: failure.fileName.slice(0, 255), dataBase64: failure.data, confirmPatientMismatch: true });
    setFailures((prev) => prev.flatMap((f) => (f !== failure ? [f] : r.ok ? [] : [{ fileName: f.fileName, error: r.error, message: r.error.message }])));
    if (r.ok) {
      setImages((prev) => [...prev.filter((x) => x.id !== r.value.id), r.value]);
      setSelected(r.value.id);
      setDone(t('images.attached', { count: 1 }));
    }
  }

  /** An image attached by mistake leaves the case (the server keeps the file and audits the reason). */
  async function remove(image: ImageSummary, reason: string) {
    const r = await api.removeImage({ imageId: image.id, reason });
    if (!r.ok) return setRemoving({ reason, error: r.error });
    const rest = images.filter((x) => x.id !== image.id);
    setImages(rest);
    setSelected(rest[0]?.id ?? null);
    setRemoving(null);
    setDone(t('images.removed', { file: image.fileName }));
  }

  const current = images.find((i) => i.id === selected) ?? null;
  // Auditors look at images but do not add to the record.
  const canAttach = canEditClinical(useSessionUser()?.role);

  return (
    <section className="card case-images" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{t('images.heading')}</h2>
      <div className="field" hidden={!canAttach}>
        <label htmlFor={`${ids}-file`}>{t('images.attach')}</label>
        {/* Stays enabled (and focused) while attaching; a second choice meanwhile is ignored. */}
        <input
          ref={inputRef}
          id={`${ids}-file`}
          type="file"
          multiple
          accept={ACCEPT}
          aria-describedby={`${ids}-types`}
          aria-busy={progress !== null}
          onChange={(e) => void attach([...(e.target.files ?? [])])}
        />
        <p id={`${ids}-types`} className="hint">
          {t('images.types')}
        </p>
      </div>
      <p className="busy" role="status">
        {progress ? t('images.attaching', { done: progress.done + 1, total: progress.total }) : done}
      </p>
      {failures.map((f, i) =>
        f.error?.code === 'PATIENT_MISMATCH' && f.data !== undefined ? (
          <div key={i} className="patient-mismatch" data-file={f.fileName}>
            <ErrorAlert error={f.error} detail={f.message} />
            <button type="button" className="secondary" hidden={!canAttach} onClick={() => void confirmAttach(f)}>
              {t('images.confirmPatient')}
            </button>
          </div>
        ) : f.error ? (
          <ErrorAlert
            key={i}
            error={f.error}
            // An error that points at the file names it in its message already; do not say it twice.
            detail={f.error.file !== undefined ? f.message : t('images.fileError', { file: f.fileName, message: f.message })}
          />
        ) : (
          <ErrorAlert key={i} message={f.message} />
        ),
      )}

      {images.length === 0 ? (
        <p className="muted">{t('images.none')}</p>
      ) : (
        <ul className="image-list" aria-label={t('images.list')}>
          {images.map((img) => (
            <li key={img.id}>
              <button
                type="button"
                className="list-button"
                aria-pressed={img.id === selected}
                onClick={() => {
                  setSelected(img.id);
                  setRemoving(null);
                }}
              >
                <span className="image-name">{img.fileName}</span>
                <span className="image-meta">
                  {t('images.meta', {
                    kind: t(`images.kind.${img.kind}`),
                    width: fmt.number(img.width),
                    height: fmt.number(img.height),
                    count: img.frames,
                  })}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}

      {current && canAttach ? (
        <div className="image-remove">
          {removing === null ? (
            <button type="button" className="secondary" onClick={() => setRemoving({ reason: '', error: null })}>
              {t('images.remove', { file: current.fileName })}
            </button>
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void remove(current, removing.reason);
              }}
            >
              <label htmlFor={`${ids}-reason`}>{t('images.removeReason', { file: current.fileName })}</label>
              <input
                id={`${ids}-reason`}
                value={removing.reason}
                maxLength={500}
                required
                aria-describedby={`${ids}-reason-hint`}
                onChange={(e) => setRemoving({ reason: e.target.value, error: null })}
              />
              <p id={`${ids}-reason-hint`} className="hint">
                {t('images.removeHint')}
              </p>
              <ErrorAlert error={removing.error} />
              <FormActions submitLabel={t('images.removeConfirm')} secondary={{ label: t('images.removeCancel'), onClick: () => setRemoving(null) }} />
            </form>
          )}
        </div>
      ) : null}
      {current ? <ImageViewer key={current.id} image={current} /> : null}
    </section>
  );
}
