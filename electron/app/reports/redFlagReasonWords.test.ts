/**
 * A red flag's reason uses the words the UI uses for the same things: the ACVPU levels and the NEWS2
 * parameters the rule leaf words itself (models/runtime/rules/redFlagReason.ts) match the renderer's
 * own translations, in English and in Chinese, so the reason never names a level differently from the
 * consciousness field beside it.
 */
import { describe, expect, it } from 'vitest';
import en from '../../../renderer/src/i18n/en.json';
import zh from '../../../renderer/src/i18n/zh-CN.json';
import { renderRedFlagReason } from '../../../models/runtime/rules/redFlagReason';
import { consciousnessLevels } from '../../../models/runtime/rules/news2';
import { loadChineseClinicalNames } from '../../../models/runtime/vocab/clinicalNames';

const chinese = loadChineseClinicalNames();

describe('red-flag reasons speak the UI words', () => {
  it.each(consciousnessLevels.filter((l) => l !== 'alert'))('ACVPU %s as the consciousness field names it', (level) => {
    const parts = { key: 'meningitisHeadache', consciousness: { kind: 'measured', level } } as const;
    expect(renderRedFlagReason(parts, 'en', null)).toContain(`consciousness ${en.observations.acvpu[level].toLowerCase()}`);
    expect(renderRedFlagReason(parts, 'zh-CN', chinese)).toContain(`意识：${zh.observations.acvpu[level]}`);
  });

  it('NEWS2 parameters as the form names them (air or oxygen, vital signs)', () => {
    const parts = { key: 'news2SingleParameter', score: 3, parameters: ['airOrOxygen', 'spo2', 'heartRate'] } as const;
    const english = renderRedFlagReason({ ...parts, parameters: [...parts.parameters] }, 'en', null);
    expect(english).toContain(en.observations.onSupplementalOxygen.toLowerCase());
    expect(renderRedFlagReason({ ...parts, parameters: [...parts.parameters] }, 'zh-CN', chinese)).toBe(
      `NEWS2 3 分，其中${zh.observations.onSupplementalOxygen}、${zh.vital.spo2}、${zh.vital.heartRate}单项得 3 分：紧急床旁评估`,
    );
  });
});
