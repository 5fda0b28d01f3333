import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModelInputDefinition, RiskModelDefinition } from '../../../electron/contract/ipcContract';
import type { RiskNamer } from '../catalogue';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { BINARY_NO, BINARY_YES, checkRiskInput, filledCount, hasInputError, type RiskInputTexts } from '../riskInputs';

interface Props {
  models: RiskModelDefinition[];
  texts: RiskInputTexts;
  onChange: (modelId: string, input: string, text: string) => void;
  names: RiskNamer;
  /** The vital sign or lab test a LOINC-coded input is taken from, by name. */
  sourceOf: (loinc: string) => string | null;
  /** An input the app refused: its model is opened and the field focused. */
  reveal: { modelId: string; input: string | null; seq: number } | null;
}

/**
 * One collapsible group per risk model, every field generated from the model's manifest
 * definition: numbers with unit and physiological range, nominal codes and yes/no as selects.
 */
export function RiskModelInputs({ models, texts, onChange, names, sourceOf, reveal }: Props) {
  const { t } = useTranslation();
  const ids = useId();
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const root = useRef<HTMLDivElement>(null);

  // A revealed model opens when the request arrives (state adjusted during render, React's pattern
  // for state that follows a prop), and its field takes focus once that commit is on screen.
  const [revealSeen, setRevealSeen] = useState(reveal);
  if (reveal !== revealSeen) {
    setRevealSeen(reveal);
    if (reveal && !open[reveal.modelId]) setOpen({ ...open, [reveal.modelId]: true });
  }
  useEffect(() => {
    if (!reveal) return;
    const selector = reveal.input
      ? `[data-risk-input="${CSS.escape(`${reveal.modelId}.${reveal.input}`)}"]`
      : `[data-risk-model="${CSS.escape(reveal.modelId)}"] summary`;
    root.current?.querySelector<HTMLElement>(selector)?.focus();
  }, [reveal]);

  return (
    <div className="risk-models" ref={root}>
      <p className="hint" id={`${ids}-auto`}>
        {t('riskInputs.autoHint')}
      </p>
      {models.map((model) => {
        const filled = filledCount(model, texts);
        return (
          <details
            key={model.id}
            className="risk-model"
            data-risk-model={model.id}
            open={open[model.id] ?? false}
            onToggle={(e) => {
              const isOpen = e.currentTarget.open;
              setOpen((prev) => (prev[model.id] === isOpen ? prev : { ...prev, [model.id]: isOpen }));
            }}
          >
            <summary>
              <span className="risk-model-name">{names.model(model.id)}</span>{' '}
              <span className="risk-model-count">{t('riskInputs.filled', { filled, total: model.inputs.length })}</span>
              {hasInputError(model, texts) ? <span className="badge badge-warn">{t('riskInputs.hasError')}</span> : null}
            </summary>
            <p className="hint">{t('riskInputs.modelMeta', { id: model.id, version: model.version, count: model.minInputs })}</p>
            <div className="vitals-grid">
              {model.inputs.map((def) => (
                <RiskInputField
                  key={def.name}
                  modelId={model.id}
                  def={def}
                  text={texts[model.id]?.[def.name] ?? ''}
                  names={names}
                  sourceOf={sourceOf}
                  describedBy={`${ids}-auto`}
                  onChange={(text) => onChange(model.id, def.name, text)}
                />
              ))}
            </div>
          </details>
        );
      })}
    </div>
  );
}

interface FieldProps {
  modelId: string;
  def: ModelInputDefinition;
  text: string;
  names: RiskNamer;
  sourceOf: (loinc: string) => string | null;
  describedBy: string;
  onChange: (text: string) => void;
}

function RiskInputField({ modelId, def, text, names, sourceOf, describedBy, onChange }: FieldProps) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const id = useId();
  const label = names.input(modelId, def.name);
  const check = checkRiskInput(def, text);
  const unit = def.unit ?? '';
  const error =
    check.status === 'implausible' && def.range
      ? unit
        ? t('measure.implausible', { name: label, min: fmt.number(def.range.min), max: fmt.number(def.range.max), unit })
        : t('riskInputs.implausibleNoUnit', { name: label, min: fmt.number(def.range.min), max: fmt.number(def.range.max) })
      : check.status === 'invalid'
        ? t('measure.notANumber', { name: label })
        : null;
  const hints: string[] = [];
  if (def.type === 'numeric' && def.range) {
    hints.push(
      unit
        ? t('riskInputs.range', { min: fmt.number(def.range.min), max: fmt.number(def.range.max), unit })
        : t('riskInputs.rangeNoUnit', { min: fmt.number(def.range.min), max: fmt.number(def.range.max) }),
    );
  }
  if (def.loinc) {
    const source = sourceOf(def.loinc);
    hints.push(source ? t('riskInputs.fromSource', { source }) : t('riskInputs.fromLoinc', { loinc: def.loinc }));
  }
  const common = {
    id,
    'data-risk-input': `${modelId}.${def.name}`,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': `${id}-hint ${id}-error ${describedBy}`,
  } as const;

  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{unit ? t('measure.fieldLabel', { name: label, unit }) : label}</label>
      {def.type === 'numeric' ? (
        <input
          {...common}
          type="number"
          inputMode="decimal"
          step="any"
          min={def.range?.min}
          max={def.range?.max}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('riskInputs.unknown')}</option>
          {def.type === 'binary' ? (
            <>
              <option value={BINARY_YES}>{t('riskInputs.yesCode')}</option>
              <option value={BINARY_NO}>{t('riskInputs.noCode')}</option>
            </>
          ) : (
            (def.values ?? []).map((v) => (
              <option key={v} value={v}>
                {names.value(def.name, v)}
              </option>
            ))
          )}
        </select>
      )}
      <p id={`${id}-hint`} className="hint">
        {hints.join(' · ')}
      </p>
      <p id={`${id}-error`} className="field-error" aria-live="polite">
        {error}
      </p>
    </div>
  );
}
