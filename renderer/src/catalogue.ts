/**
 * The catalogue (symptoms, vitals, labs with their limits) is static for a run of the app, so it
 * is fetched once and shared by every screen that needs labels or ranges.
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue, ErrorPayload, LabDefinition, ModelInputDefinition, Result } from '../../electron/contract/ipcContract';
import { api } from './api/lanternClient';
import { nominalValueLabel, riskInputLabel, riskModelName } from './i18n/riskModelNames';
import { localisedSymptomName } from './i18n/symptomNames';
import { findRiskInput } from './riskInputs';
import i18next from 'i18next';
import { localiseLab } from './i18n/labNames';
import { setChineseClinicalNames } from './i18n/clinicalNameTables';
import { useIpcQuery } from './useIpcQuery';

let pending: Promise<Result<Catalogue>> | null = null;
let loaded: Catalogue | null = null;
const loadedListeners = new Set<() => void>();

export function loadCatalogue(): Promise<Result<Catalogue>> {
  if (!pending) {
    pending = api.getCatalogue({}).then((result) => {
      // Do not cache a failure (e.g. LOCKED): the next screen should try again.
      if (!result.ok) pending = null;
      else {
        loaded = result.value;
        setChineseClinicalNames(result.value.clinicalNamesZh);
        for (const listener of loadedListeners) listener();
      }
      return result;
    });
  }
  return pending;
}

/**
 * The catalogue once a screen has loaded it. Never starts a fetch itself: a banner on every screen
 * must not be the call that fails first (a tampered model belongs to the screen that needs models).
 */
export function useLoadedCatalogue(): Catalogue | null {
  return useSyncExternalStore(subscribeToLoaded, () => loaded);
}

function subscribeToLoaded(listener: () => void): () => void {
  loadedListeners.add(listener);
  return () => loadedListeners.delete(listener);
}

export interface CatalogueState {
  catalogue: Catalogue | null;
  error: ErrorPayload | null;
}

export function useCatalogue(): CatalogueState {
  // loadCatalogue is one module function, so the query never changes: one read per mount.
  const { value, error } = useIpcQuery(loadCatalogue);
  return { catalogue: value, error };
}

/** Display name of a symptom in the current language (catalogue label, else the code itself). */
export function useSymptomNamer(catalogue: Catalogue | null): (code: string) => string {
  const { i18n } = useTranslation();
  const labels = useMemo(() => new Map((catalogue?.symptoms ?? []).map((s) => [s.code, s.label] as const)), [catalogue]);
  const locale = i18n.language;
  return useCallback((code: string) => localisedSymptomName(code, labels.get(code), locale), [labels, locale]);
}

/** The lab's definition with its name and unit as the reader reads them (see i18n/labNames.ts). */
export function findLab(catalogue: Catalogue | null, loinc: string): LabDefinition | undefined {
  const lab = catalogue?.labs.find((l) => l.loinc === loinc);
  return lab && localiseLab(lab, i18next.language ?? 'en');
}

export interface RiskNamer {
  model: (id: string) => string;
  input: (modelId: string, name: string) => string;
  value: (inputName: string, value: string) => string;
  definition: (modelId: string, name: string) => ModelInputDefinition | undefined;
}

/** Names of risk models, their inputs and nominal values in the current language. */
export function useRiskNamer(catalogue: Catalogue | null): RiskNamer {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useMemo(() => {
    const definition = (modelId: string, name: string) => findRiskInput(catalogue?.riskModels, modelId, name);
    return {
      model: (id) => riskModelName(id, locale),
      input: (modelId, name) => {
        const def = definition(modelId, name);
        return riskInputLabel(def ?? { name, label: '' }, locale);
      },
      value: (inputName, value) => nominalValueLabel(inputName, value, locale),
      definition,
    };
  }, [catalogue, locale]);
}
