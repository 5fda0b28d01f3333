/**
 * A red flag's reason in the UI's language, from its parts: the rules' leaf
 * (models/runtime/rules/redFlagReason.ts, which imports nothing) passed through the contract, so the
 * renderer words a flag exactly as the PDF report does without reaching into models/.
 */
export { displayUnit, renderRedFlagReason, type ReasonLanguage, type ReasonNameTable, type RedFlagReason } from '../../models/runtime/rules/redFlagReason';
