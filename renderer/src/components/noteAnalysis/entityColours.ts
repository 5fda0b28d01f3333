/** Highlight colours are CSS classes `entity-c0` … `entity-c7`, assigned to labels in sorted order. */
export const ENTITY_COLOURS = 8;

export function entityColourMap(labels: Iterable<string>): Map<string, number> {
  const sorted = [...new Set(labels)].sort();
  return new Map(sorted.map((label, i) => [label, i % ENTITY_COLOURS] as const));
}

/** "DISEASE" / "sign_or_symptom" → "Disease" / "Sign or symptom". */
export function entityLabelText(label: string): string {
  const words = label.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
