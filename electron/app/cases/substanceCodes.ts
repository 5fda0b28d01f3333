/**
 * The substances a clinician can pick for a patient's allergies and current medications: common
 * drug ingredients and classes in primary care (antibiotics, analgesics, cardiovascular,
 * diabetes, TB and malaria drugs, contrast media), coded with the WHO ATC classification, with
 * our own English and Chinese names. Anything else is kept as free text, marked uncoded.
 *
 * A class code (5 characters or fewer, e.g. J01C penicillins) is for allergies: a patient allergic
 * to penicillins is allergic to every ingredient under it.
 */
export const atcSystem = 'http://www.whocc.no/atc';

export interface SubstanceCode {
  code: string;
  name: string;
  nameZh: string;
}

export const substanceCodes: readonly SubstanceCode[] = [
  { code: 'J01C', name: 'Penicillins', nameZh: '青霉素类' },
  { code: 'J01CA04', name: 'Amoxicillin', nameZh: '阿莫西林' },
  { code: 'J01CR02', name: 'Amoxicillin and clavulanic acid', nameZh: '阿莫西林克拉维酸' },
  { code: 'J01CE01', name: 'Benzylpenicillin', nameZh: '青霉素G' },
  { code: 'J01D', name: 'Cephalosporins and other beta-lactams', nameZh: '头孢菌素类及其他β-内酰胺类' },
  { code: 'J01DB01', name: 'Cefalexin', nameZh: '头孢氨苄' },
  { code: 'J01DD04', name: 'Ceftriaxone', nameZh: '头孢曲松' },
  { code: 'J01E', name: 'Sulfonamides and trimethoprim', nameZh: '磺胺类及甲氧苄啶' },
  { code: 'J01EE01', name: 'Sulfamethoxazole and trimethoprim', nameZh: '复方磺胺甲噁唑' },
  { code: 'J01FA10', name: 'Azithromycin', nameZh: '阿奇霉素' },
  { code: 'J01FA01', name: 'Erythromycin', nameZh: '红霉素' },
  { code: 'J01MA02', name: 'Ciprofloxacin', nameZh: '环丙沙星' },
  { code: 'J01AA02', name: 'Doxycycline', nameZh: '多西环素' },
  { code: 'P01AB01', name: 'Metronidazole', nameZh: '甲硝唑' },
  { code: 'J04AB02', name: 'Rifampicin', nameZh: '利福平' },
  { code: 'J04AC01', name: 'Isoniazid', nameZh: '异烟肼' },
  { code: 'P01BF01', name: 'Artemether and lumefantrine', nameZh: '蒿甲醚本芴醇' },
  { code: 'N02BE01', name: 'Paracetamol', nameZh: '对乙酰氨基酚' },
  { code: 'M01A', name: 'Non-steroidal anti-inflammatory drugs (NSAIDs)', nameZh: '非甾体抗炎药' },
  { code: 'M01AE01', name: 'Ibuprofen', nameZh: '布洛芬' },
  { code: 'N02BA01', name: 'Acetylsalicylic acid (aspirin)', nameZh: '阿司匹林' },
  { code: 'B01AC06', name: 'Acetylsalicylic acid, antiplatelet dose', nameZh: '阿司匹林（抗血小板剂量）' },
  { code: 'N02AA01', name: 'Morphine', nameZh: '吗啡' },
  { code: 'A10BA02', name: 'Metformin', nameZh: '二甲双胍' },
  { code: 'A10A', name: 'Insulins and analogues', nameZh: '胰岛素及其类似物' },
  { code: 'C09AA02', name: 'Enalapril', nameZh: '依那普利' },
  { code: 'C09CA01', name: 'Losartan', nameZh: '氯沙坦' },
  { code: 'C08CA01', name: 'Amlodipine', nameZh: '氨氯地平' },
  { code: 'C03CA01', name: 'Furosemide', nameZh: '呋塞米' },
  { code: 'C03AA03', name: 'Hydrochlorothiazide', nameZh: '氢氯噻嗪' },
  { code: 'C07AB07', name: 'Bisoprolol', nameZh: '比索洛尔' },
  { code: 'C10AA05', name: 'Atorvastatin', nameZh: '阿托伐他汀' },
  { code: 'B01AA03', name: 'Warfarin', nameZh: '华法林' },
  { code: 'A02BC01', name: 'Omeprazole', nameZh: '奥美拉唑' },
  { code: 'R03AC02', name: 'Salbutamol', nameZh: '沙丁胺醇' },
  { code: 'H02AB06', name: 'Prednisolone', nameZh: '泼尼松龙' },
  { code: 'H03AA01', name: 'Levothyroxine', nameZh: '左甲状腺素' },
  { code: 'N03AF01', name: 'Carbamazepine', nameZh: '卡马西平' },
  { code: 'N03AB02', name: 'Phenytoin', nameZh: '苯妥英' },
  { code: 'M04AA01', name: 'Allopurinol', nameZh: '别嘌醇' },
  { code: 'V08A', name: 'Iodinated X-ray contrast media', nameZh: '碘造影剂' },
];

const byCode = new Map(substanceCodes.map((s) => [s.code, s]));

export function substanceByCode(code: string): SubstanceCode | undefined {
  return byCode.get(code);
}
