import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, Patient, SubstanceDefinition } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { matchSubstance, substanceName, toDraft, toEntryInput } from '../patientLists';
import type { DraftEntry } from '../patientLists';
import { ErrorAlert } from './ErrorAlert';
import { FormActions } from './FormActions';

type ListName = 'allergies' | 'medications';

interface Props {
  patient: Patient;
  substances: readonly SubstanceDefinition[];
  onSaved: (patient: Patient) => void;
  onCancel: () => void;
}

/** One list's rows: a name (listed names offered, anything else kept as free text) and a reaction or dose. */
function EntryRows({
  list,
  rows,
  setRows,
  substances,
  datalistId,
}: {
  list: ListName;
  rows: DraftEntry[];
  setRows: (rows: DraftEntry[]) => void;
  substances: readonly SubstanceDefinition[];
  datalistId: string;
}) {
  const { t } = useTranslation();
  const set = (i: number, change: Partial<DraftEntry>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <>
      {rows.map((row, i) => (
        <div className="entry-row" key={i} data-testid={`${list}-row`}>
          <label>
            {t(`patientLists.${list}Name`)}
            <input list={datalistId} value={row.text} onChange={(e) => set(i, { text: e.target.value })} />
          </label>
          <span className="muted" aria-live="polite">
            {row.text.trim() === ''
              ? ''
              : matchSubstance(row.text, substances)
                ? t('patientLists.coded', { code: matchSubstance(row.text, substances)!.code })
                : t('patientLists.uncoded')}
          </span>
          <label>
            {t(`patientLists.${list}Note`)}
            <input value={row.note} onChange={(e) => set(i, { note: e.target.value })} />
          </label>
          <button type="button" className="secondary" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
            {t('patientLists.remove')}
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => setRows([...rows, { text: '', note: '' }])}>
        {t(`patientLists.add_${list}`)}
      </button>
    </>
  );
}

/** Edits the patient's allergy and medication lists; saving replaces both (audited by the app). */
export function PatientListsEditor({ patient, substances, onSaved, onCancel }: Props) {
  const { t, i18n } = useTranslation();
  const ids = useId();
  const [allergies, setAllergies] = useState<DraftEntry[]>(() => patient.allergies.map((e) => toDraft(e, substances, i18n.language)));
  const [medications, setMedications] = useState<DraftEntry[]>(() => patient.medications.map((e) => toDraft(e, substances, i18n.language)));
  const [noKnownAllergies, setNoKnownAllergies] = useState(patient.noKnownAllergies);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [saving, setSaving] = useState(false);
  const filled = (rows: DraftEntry[]) => rows.filter((r) => r.text.trim() !== '').map((r) => toEntryInput(r, substances));

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    const allergyInputs = filled(allergies);
    const result = await api.updatePatientLists({
      patientId: patient.id,
      noKnownAllergies: noKnownAllergies && allergyInputs.length === 0,
      allergies: allergyInputs,
      medications: filled(medications),
    });
    setSaving(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    onSaved(result.value);
  }

  return (
    <form className="card form patient-lists-editor" onSubmit={save} aria-labelledby={`${ids}-h`} aria-busy={saving} noValidate>
      <h2 id={`${ids}-h`}>{t('patientLists.editHeading')}</h2>
      <datalist id={`${ids}-substances`}>
        {substances.map((s) => (
          <option key={s.code} value={substanceName(s, i18n.language)} />
        ))}
      </datalist>
      <fieldset>
        <legend>{t('patientLists.allergies')}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={noKnownAllergies} disabled={filled(allergies).length > 0} onChange={(e) => setNoKnownAllergies(e.target.checked)} />
          {t('patientLists.noKnownAllergies')}
        </label>
        <EntryRows list="allergies" rows={allergies} setRows={setAllergies} substances={substances} datalistId={`${ids}-substances`} />
      </fieldset>
      <fieldset>
        <legend>{t('patientLists.medications')}</legend>
        <EntryRows list="medications" rows={medications} setRows={setMedications} substances={substances} datalistId={`${ids}-substances`} />
      </fieldset>
      <p className="muted">{t('patientLists.hint')}</p>
      <ErrorAlert error={error} />
      <FormActions submitLabel={t('patientLists.save')} busy={saving} secondary={{ label: t('patientLists.cancel'), onClick: onCancel, whileBusy: true }} />
    </form>
  );
}
