import { describe, expect, it } from 'vitest';

import evidencesFile from '../../../../models/artefacts/ddxplus-differential/evidences.json';
import { BODY_REGIONS, isLocationQuestion, regionsFor, toggleRegion } from './bodyRegions';

const evidences = (
  evidencesFile as unknown as { evidences: { name: string; type: string; values?: (string | number)[]; valueLabels?: ({ en: string } | null)[] }[] }
).evidences;
const painWhere = evidences.find((e) => e.name === 'E_55')!;

describe('interview body map regions', () => {
  it('every location of the pain question is on the map except "nowhere", each in one region only', () => {
    const mapped = BODY_REGIONS.flatMap((r) => r.codes);
    expect(new Set(mapped).size).toBe(mapped.length);
    const unmapped = (painWhere.values as string[]).filter((v) => !mapped.includes(v));
    expect(unmapped).toEqual(['V_123']);
  });

  it('regions hold what their name says (the release labels)', () => {
    const label = (code: string) => painWhere.valueLabels![(painWhere.values as string[]).indexOf(code)]!.en;
    const chest = BODY_REGIONS.find((r) => r.id === 'chest')!;
    for (const c of chest.codes) expect(label(c)).toMatch(/chest|breast|axilla/);
    const feet = BODY_REGIONS.find((r) => r.id === 'feet')!;
    for (const c of feet.codes) expect(label(c)).toMatch(/foot|ankle|toe|sole|heel/);
  });

  it('the map is offered for the location questions only', () => {
    const multi = evidences.filter((e) => e.type === 'multi' && isLocationQuestion((e.values ?? []).map(String))).map((e) => e.name);
    expect(multi).toEqual(expect.arrayContaining(['E_55', 'E_57']));
    for (const e of evidences.filter((x) => x.type === 'multi' && !multi.includes(x.name)))
      expect((e.values ?? []).some((v) => v === 'V_29' || v === 'V_197')).toBe(false);
  });

  it('a region toggles all its offered locations, keeping others', () => {
    const regions = regionsFor(['V_29', 'V_101', 'V_62', 'V_123']);
    expect(regions.map((r) => r.id)).toEqual(['head', 'chest']);
    const chest = regions.find((r) => r.id === 'chest')!;
    const on = toggleRegion(['V_62'], chest);
    expect(on.sort()).toEqual(['V_101', 'V_29', 'V_62']);
    expect(toggleRegion(on, chest)).toEqual(['V_62']);
    // Part chosen: a click completes it.
    expect(toggleRegion(['V_29'], chest).sort()).toEqual(['V_101', 'V_29']);
  });
});
