import { describe, expect, it } from 'vitest';
import { dicomPatientMismatches, patientMismatchMessage } from './dicomPatientCheck';

const ana = { name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' as const };

describe('DICOM patient check', () => {
  it('accepts the same person written the DICOM way, with accents, case and a middle name on one side only', () => {
    expect(dicomPatientMismatches({ PatientName: 'LIMA^ANA', PatientBirthDate: '19900101', PatientSex: 'F' }, ana)).toEqual([]);
    expect(dicomPatientMismatches({ PatientName: 'Lima^Ana^Maria' }, ana)).toEqual([]);
    expect(dicomPatientMismatches({ PatientName: 'Nguyen^Van An' }, { ...ana, name: 'Nguyễn Văn An' })).toEqual([]);
  });

  it('names every field that differs', () => {
    const m = dicomPatientMismatches({ PatientName: 'CompressedSamples^MR1', PatientBirthDate: '19580101', PatientSex: 'M', PatientID: '4MR1' }, ana, [
      'H-123',
    ]);
    expect(m).toEqual([
      { field: 'PatientName', file: 'CompressedSamples^MR1', record: 'Ana Lima' },
      { field: 'PatientID', file: '4MR1', record: 'H-123' },
      { field: 'PatientBirthDate', file: '1958-01-01', record: '1990-01-01' },
      { field: 'PatientSex', file: 'male', record: 'female' },
    ]);
    expect(patientMismatchMessage('mr.dcm', m)).toMatch(
      /^mr\.dcm may belong to another patient: PatientName in the file is "CompressedSamples\^MR1", the case has "Ana Lima"; .*Attach it only if/,
    );
  });

  it('treats empty or unknown fields as no evidence', () => {
    expect(dicomPatientMismatches({}, ana)).toEqual([]);
    expect(dicomPatientMismatches({ PatientName: '^^^^', PatientBirthDate: '', PatientSex: 'M', PatientID: 'X' }, { ...ana, sex: 'unknown' })).toEqual([]);
    expect(dicomPatientMismatches({ PatientID: 'X' }, ana, ['X', ''])).toEqual([]);
  });
});
