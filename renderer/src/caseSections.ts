/**
 * The new-case form's sections a clinician jumps between: skip links at the top and Alt+Shift
 * shortcuts (Alt+digit switches browser tabs on Linux; Alt+Shift+letter is free in Chromium and
 * Electron). Keys are matched by physical key (`code`), so they work in every keyboard layout
 * and input method, Chinese included.
 */
export const caseSections = ['symptoms', 'vitals', 'labs', 'note', 'run'] as const;
export type CaseSection = (typeof caseSections)[number];

const byCode: Record<string, CaseSection> = { KeyS: 'symptoms', KeyV: 'vitals', KeyL: 'labs', KeyN: 'note', KeyR: 'run' };

export function caseSectionForShortcut(e: Pick<KeyboardEvent, 'altKey' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'code'>): CaseSection | null {
  if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return null;
  return byCode[e.code] ?? null;
}
