import { useCallback, useReducer } from 'react';
import { changeCaseForm, changesModelInputs, emptyCaseForm, type CaseFormChange, type CaseFormState } from '../../caseForm';

/**
 * The new-case form's inputs (rules in caseForm.ts). `change` applies one named change and calls
 * `onModelInputsChanged` first when it alters what the model sees, so a shown differential is
 * withdrawn before the form shows inputs it was not computed from.
 */
export function useCaseForm(onModelInputsChanged: () => void): { form: CaseFormState; change: (change: CaseFormChange) => void } {
  const [form, dispatch] = useReducer(changeCaseForm, emptyCaseForm);
  const change = useCallback(
    (c: CaseFormChange) => {
      if (changesModelInputs(c)) onModelInputsChanged();
      dispatch(c);
    },
    [onModelInputsChanged],
  );
  return { form, change };
}
