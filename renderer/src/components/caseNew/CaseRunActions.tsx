import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';

export type CaseWork = 'run' | 'save' | null;

/**
 * Run, Save and Cancel under the case form (buttons, not a submit: the form has two actions). Cancel
 * stays usable during a run, which saves nothing, but not during a save.
 */
export function CaseRunActions({
  busy,
  runRef,
  onRun,
  onSave,
  onCancel,
}: {
  busy: CaseWork;
  runRef: Ref<HTMLButtonElement>;
  onRun: () => void;
  onSave: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="actions case-actions" aria-busy={busy !== null}>
      {/* Run moves focus to the result, so the keyboard user lands on what they asked for. */}
      <button ref={runRef} type="button" className="primary" onClick={onRun} disabled={busy !== null}>
        {t('caseNew.run')}
      </button>
      <button type="button" className="primary" onClick={onSave} disabled={busy !== null}>
        {t('caseNew.save')}
      </button>
      <button type="button" className="secondary" onClick={onCancel} disabled={busy === 'save'}>
        {t('caseNew.cancel')}
      </button>
      <span className="busy" role="status">
        {busy === 'run' ? t('caseNew.running') : busy === 'save' ? t('caseNew.saving') : null}
      </span>
    </div>
  );
}
