/**
 * The clinical-name code helpers (normalising a symptom code, making a code readable) from the shared leaf
 * models/runtime/vocab/clinicalTypes.ts, which imports nothing, passed through the contract so the renderer
 * names a code exactly as the PDF report does without reaching into models/.
 */
export { humaniseCode, normaliseSymptomCode } from '../../models/runtime/vocab/clinicalTypes';
