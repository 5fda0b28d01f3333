/**
 * Regions of the interview's body map and the DDXPlus location codes (V_) each stands for, both sides
 * together (the checkbox list beside the map picks a side or a single spot). Codes from the release's
 * pain, radiation, rash and swelling locations (E_55, E_57, E_133, E_152).
 */
export type BodyRegionId =
  | 'head'
  | 'face'
  | 'mouth'
  | 'neck'
  | 'chest'
  | 'upperBack'
  | 'upperAbdomen'
  | 'lowerBack'
  | 'lowerAbdomen'
  | 'genital'
  | 'arms'
  | 'hands'
  | 'hips'
  | 'legs'
  | 'feet';

export interface BodyRegion {
  /** Its label is the i18n key interview.body.<id>. */
  id: BodyRegionId;
  /** CSS grid area of the map. */
  area: string;
  codes: readonly string[];
}

export const BODY_REGIONS: readonly BodyRegion[] = [
  { id: 'head', area: 'head', codes: ['V_25', 'V_62', 'V_89', 'V_124', 'V_166', 'V_167'] },
  { id: 'face', area: 'face', codes: ['V_108', 'V_109', 'V_118', 'V_121', 'V_122', 'V_125', 'V_126', 'V_129', 'V_130', 'V_163'] },
  {
    id: 'mouth',
    area: 'mouth',
    codes: [
      'V_20',
      'V_21',
      'V_32',
      'V_41',
      'V_42',
      'V_57',
      'V_58',
      'V_59',
      'V_60',
      'V_61',
      'V_90',
      'V_91',
      'V_110',
      'V_111',
      'V_115',
      'V_116',
      'V_117',
      'V_137',
      'V_148',
      'V_162',
      'V_188',
      'V_189',
    ],
  },
  { id: 'neck', area: 'neck', codes: ['V_26', 'V_33', 'V_38', 'V_53', 'V_54', 'V_174', 'V_175', 'V_176'] },
  { id: 'chest', area: 'chest', codes: ['V_29', 'V_101', 'V_55', 'V_56', 'V_159', 'V_160', 'V_18', 'V_19'] },
  { id: 'upperBack', area: 'uback', codes: ['V_39', 'V_127', 'V_128', 'V_170', 'V_171'] },
  { id: 'upperAbdomen', area: 'uabd', codes: ['V_197', 'V_103', 'V_104', 'V_84', 'V_85'] },
  { id: 'lowerBack', area: 'lback', codes: ['V_40', 'V_37', 'V_113', 'V_114'] },
  { id: 'lowerAbdomen', area: 'labd', codes: ['V_187', 'V_87', 'V_88', 'V_14', 'V_15', 'V_49', 'V_50', 'V_16', 'V_17', 'V_153'] },
  {
    id: 'genital',
    area: 'genital',
    codes: [
      'V_22',
      'V_36',
      'V_94',
      'V_95',
      'V_96',
      'V_102',
      'V_139',
      'V_140',
      'V_141',
      'V_146',
      'V_147',
      'V_155',
      'V_158',
      'V_168',
      'V_169',
      'V_185',
      'V_186',
      'V_190',
    ],
  },
  { id: 'arms', area: 'arms', codes: ['V_194', 'V_195', 'V_30', 'V_31', 'V_177', 'V_178', 'V_45', 'V_46', 'V_27', 'V_28', 'V_78', 'V_79'] },
  {
    id: 'hands',
    area: 'hands',
    codes: ['V_74', 'V_75', 'V_76', 'V_77', 'V_80', 'V_81', 'V_142', 'V_143', 'V_151', 'V_152', 'V_63', 'V_64', 'V_65', 'V_66', 'V_67', 'V_68', 'V_69', 'V_70'],
  },
  { id: 'hips', area: 'hips', codes: ['V_99', 'V_100', 'V_82', 'V_83', 'V_51', 'V_52', 'V_105', 'V_106'] },
  { id: 'legs', area: 'legs', codes: ['V_92', 'V_93', 'V_47', 'V_48', 'V_119', 'V_120', 'V_172', 'V_173'] },
  {
    id: 'feet',
    area: 'feet',
    codes: [
      'V_23',
      'V_24',
      'V_34',
      'V_35',
      'V_43',
      'V_44',
      'V_72',
      'V_73',
      'V_97',
      'V_98',
      'V_131',
      'V_132',
      'V_133',
      'V_134',
      'V_135',
      'V_136',
      'V_144',
      'V_145',
      'V_149',
      'V_150',
      'V_164',
      'V_165',
    ],
  },
];

/** The regions that have at least one of the question's options, each with only those codes. */
export function regionsFor(options: readonly string[]): BodyRegion[] {
  const offered = new Set(options);
  return BODY_REGIONS.map((r) => ({ ...r, codes: r.codes.filter((c) => offered.has(c)) })).filter((r) => r.codes.length > 0);
}

/** A location question: most of its options are body locations (the map is then offered). */
export function isLocationQuestion(options: readonly string[]): boolean {
  const all = new Set(BODY_REGIONS.flatMap((r) => r.codes));
  return options.filter((o) => all.has(o)).length >= 5;
}

/** Clicking a region: adds all its codes, or removes them when every one is already chosen. */
export function toggleRegion(chosen: readonly string[], region: BodyRegion): string[] {
  const all = region.codes.every((c) => chosen.includes(c));
  return all ? chosen.filter((c) => !region.codes.includes(c)) : [...chosen, ...region.codes.filter((c) => !chosen.includes(c))];
}
