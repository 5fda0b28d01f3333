/**
 * Lab names and units as a clinician reads them. The catalogue names tests in English and gives
 * units in UCUM code form ("10*3/uL"); the display form is "×10³/µL" in every language, and zh-CN
 * names follow Chinese laboratory usage, keyed by LOINC (the stable code).
 */
import type { LabDefinition } from '../../../electron/contract/ipcContract';

const zhLabNames: Record<string, string> = {
  '718-7': '血红蛋白',
  '4544-3': '红细胞压积',
  '787-2': '平均红细胞体积（MCV）',
  '26464-8': '白细胞计数',
  '26515-7': '血小板计数',
  '2951-2': '钠',
  '2823-3': '钾',
  '2075-0': '氯',
  '2028-9': '碳酸氢盐（总二氧化碳）',
  '3094-0': '尿素氮（BUN）',
  '2160-0': '肌酐',
  '2345-7': '葡萄糖',
  '4548-4': '糖化血红蛋白（HbA1c）',
  '1742-6': '丙氨酸转氨酶（ALT）',
  '1920-8': '天冬氨酸转氨酶（AST）',
  '6768-6': '碱性磷酸酶',
  '1975-2': '总胆红素',
  '1751-7': '白蛋白',
  '1988-5': 'C 反应蛋白',
  '4537-7': '红细胞沉降率（魏氏法）',
  '10839-9': '肌钙蛋白 I',
  '2524-7': '乳酸',
  '17861-6': '钙',
  '6301-6': '国际标准化比值（INR）',
  '3016-3': '促甲状腺激素（TSH）',
};

export function localisedLabName(loinc: string, englishName: string, locale: string): string {
  return (locale === 'zh-CN' ? zhLabNames[loinc] : undefined) ?? englishName;
}

/** UCUM code form to the printed form: 10*3/uL → ×10³/µL. Units without either part are unchanged. */
export function displayUnit(ucum: string): string {
  const superscript: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
  return ucum.replace(/^10\*(\d+)/, (_m, exp: string) => `×10${[...exp].map((d) => superscript[d]).join('')}`).replace(/(^|\/)u(L|g|mol)\b/g, '$1µ$2');
}

export function localiseLab<T extends Pick<LabDefinition, 'loinc' | 'name' | 'unit'>>(lab: T, locale: string): T {
  return { ...lab, name: localisedLabName(lab.loinc, lab.name, locale), unit: displayUnit(lab.unit) };
}
