import { describe, expect, it } from 'vitest';

import { dicomAgeYears, meanSaturation, qualifyImageInput, type ImageFacts } from './inputQualification';

const xray = (over: Partial<ImageFacts> = {}): ImageFacts => ({ width: 1024, height: 1024, channels: 1, meanSaturation: 0, ...over });
const fundus = (over: Partial<ImageFacts> = {}): ImageFacts => ({ width: 565, height: 584, channels: 3, meanSaturation: 0.2, ...over });

describe('pneumonia-xray input rules', () => {
  it('accepts a grey chest film, a CR/DX DICOM of the chest in PA or AP, and an RGB-stored grey film', () => {
    expect(qualifyImageInput('pneumonia-xray', xray())).toBeNull();
    expect(
      qualifyImageInput(
        'pneumonia-xray',
        xray({ dicom: { Modality: 'CR', BodyPartExamined: 'CHEST', ViewPosition: 'PA', PhotometricInterpretation: 'MONOCHROME1' } }),
      ),
    ).toBeNull();
    expect(qualifyImageInput('pneumonia-xray', xray({ dicom: { Modality: 'DX', ViewPosition: 'AP', PhotometricInterpretation: 'MONOCHROME2' } }))).toBeNull();
    expect(qualifyImageInput('pneumonia-xray', xray({ dicom: { Modality: 'dr ' } }))).toBeNull();
    expect(qualifyImageInput('pneumonia-xray', xray({ channels: 3, meanSaturation: 0.01 }))).toBeNull();
  });

  it('refuses other modalities, naming what the file is', () => {
    const mr = qualifyImageInput('pneumonia-xray', xray({ dicom: { Modality: 'MR' } }));
    expect(mr?.code).toBe('OUT_OF_SCOPE');
    expect(mr?.message).toContain('an MR image (DICOM Modality MR)');
    for (const m of ['CT', 'NM', 'RTDOSE', 'US', 'OT']) {
      expect(qualifyImageInput('pneumonia-xray', xray({ dicom: { Modality: m } }))?.message).toContain(`Modality ${m}`);
    }
    expect(qualifyImageInput('pneumonia-xray', xray({ dicom: {} }))?.message).toContain('no Modality');
  });

  it('refuses another body part, a lateral view and a colour photometric', () => {
    expect(qualifyImageInput('pneumonia-xray', xray({ dicom: { Modality: 'CR', BodyPartExamined: 'HAND' } }))?.message).toContain('hand');
    expect(qualifyImageInput('pneumonia-xray', xray({ dicom: { Modality: 'DX', ViewPosition: 'LL' } }))?.message).toContain('LL');
    expect(qualifyImageInput('pneumonia-xray', xray({ dicom: { Modality: 'DX', PhotometricInterpretation: 'RGB' } }))?.message).toContain('RGB');
  });

  it('refuses colour pictures, tiny images and strongly elongated ones', () => {
    expect(qualifyImageInput('pneumonia-xray', xray({ channels: 3, meanSaturation: 0.3 }))?.message).toContain('colour');
    expect(qualifyImageInput('pneumonia-xray', xray({ width: 20, height: 20 }))?.message).toContain('at least 28');
    expect(qualifyImageInput('pneumonia-xray', xray({ width: 2000, height: 1000 }))?.message).toContain('aspect 2.00');
    expect(qualifyImageInput('pneumonia-xray', xray({ width: 1500, height: 1000 }))).toBeNull();
  });

  it('refuses patients known to be outside 1 to 5 years (case age first, else DICOM PatientAge); unknown age is answered', () => {
    expect(qualifyImageInput('pneumonia-xray', xray(), { ageYears: 45 })?.message).toContain('45 years');
    expect(qualifyImageInput('pneumonia-xray', xray(), { ageYears: 0.5 })?.message).toContain('6 months');
    expect(qualifyImageInput('pneumonia-xray', xray(), { ageYears: 6 })?.code).toBe('OUT_OF_SCOPE');
    expect(qualifyImageInput('pneumonia-xray', xray(), { ageYears: 5.9 })).toBeNull();
    expect(qualifyImageInput('pneumonia-xray', xray(), { ageYears: 1 })).toBeNull();
    expect(qualifyImageInput('pneumonia-xray', xray(), {})).toBeNull();
    expect(qualifyImageInput('pneumonia-xray', xray({ dicom: { Modality: 'CR', PatientAge: '067Y' } }))?.message).toContain('67 years');
    expect(qualifyImageInput('pneumonia-xray', xray({ dicom: { Modality: 'CR', PatientAge: '036M' } }))).toBeNull();
    // the case's age wins over the file's
    expect(qualifyImageInput('pneumonia-xray', xray({ dicom: { Modality: 'CR', PatientAge: '067Y' } }), { ageYears: 3 })).toBeNull();
  });
});

describe('retina-vessels input rules', () => {
  it('accepts a colour fundus photograph at DRIVE scale, as a file or an OP/XC DICOM', () => {
    expect(qualifyImageInput('retina-vessels', fundus())).toBeNull();
    expect(
      qualifyImageInput('retina-vessels', fundus({ dicom: { Modality: 'OP', BodyPartExamined: 'EYE', PhotometricInterpretation: 'YBR_FULL_422' } })),
    ).toBeNull();
    expect(qualifyImageInput('retina-vessels', fundus({ dicom: { Modality: 'XC', PhotometricInterpretation: 'RGB' } }))).toBeNull();
  });

  it('refuses chest X-rays and other modalities, grey images, and other scales', () => {
    expect(qualifyImageInput('retina-vessels', fundus({ dicom: { Modality: 'CR' } }))?.message).toContain('a computed radiograph');
    expect(qualifyImageInput('retina-vessels', fundus({ dicom: { Modality: 'OP', PhotometricInterpretation: 'MONOCHROME2' } }))?.message).toContain(
      'MONOCHROME2',
    );
    expect(qualifyImageInput('retina-vessels', fundus({ channels: 1, meanSaturation: 0 }))?.message).toContain('greyscale');
    expect(qualifyImageInput('retina-vessels', fundus({ meanSaturation: 0.01 }))?.message).toContain('greyscale');
    expect(qualifyImageInput('retina-vessels', fundus({ width: 3000, height: 2000 }))?.message).toContain('565×584');
    expect(qualifyImageInput('retina-vessels', fundus({ width: 900, height: 500 }))?.message).toContain('aspect');
  });

  it('has no age rule', () => {
    expect(qualifyImageInput('retina-vessels', fundus(), { ageYears: 80 })).toBeNull();
  });
});

describe('helpers', () => {
  it('parses DICOM age strings', () => {
    expect(dicomAgeYears('045Y')).toBe(45);
    expect(dicomAgeYears('018M')).toBe(1.5);
    expect(dicomAgeYears('004W')).toBeCloseTo(28 / 365.25, 6);
    expect(dicomAgeYears('')).toBeUndefined();
    expect(dicomAgeYears('forty')).toBeUndefined();
  });

  it('measures mean saturation', () => {
    expect(meanSaturation({ width: 2, height: 1, channels: 1, data: new Float32Array([0.2, 0.9]) })).toBe(0);
    expect(meanSaturation({ width: 2, height: 1, channels: 3, data: new Float32Array([1, 0, 0, 0.5, 0.5, 0.5]) })).toBe(0.5);
  });

  it('throws for a model without rules', () => {
    expect(() => qualifyImageInput('heart-disease', xray())).toThrow(/no input rules/);
  });
});
