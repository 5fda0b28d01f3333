/**
 * Bad input through the dispatcher every transport uses, on a real encrypted database and the
 * shipped models: wrong types, reserved keys, unknown methods, huge strings, absurd clinical values,
 * names in every script (and the invisible characters that are refused), malformed images. Each is
 * answered with a specific code, nothing half-made is stored, and the service keeps answering.
 * (The HTTP side is in electron/host/loopbackHostFuzz.test.ts.)
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { contract, methodNames } from '../contract/ipcContract';
import type { ErrorPayload, ImageSummary, Patient } from '../contract/ipcContract';
import { imageElements, le16, writeDicom } from './imaging/dicomWriter';
import { appPerTest, dispatchTestClient, type CaseRequest } from './testing/dispatchTestClient';

const t = appPerTest(() => ({ scheduleBackups: false }));
let patient: Patient;

beforeEach(async () => {
  await ok('setup', { displayName: 'Dr Osei', passphrase: 'correct horse' });
  patient = await ok('createPatient', { name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' });
});

const { ok, fails } = dispatchTestClient(() => t.app);

const auditCount = () => t.app.session.require().store.db.prepare('SELECT count(*) FROM audit_events').pluck().get() as number;

/** The service still answers and the trail is intact: bad input never takes it down. */
async function expectStillUp(): Promise<void> {
  expect(await ok('sessionStatus', {})).toMatchObject({ state: 'unlocked' });
  expect(await ok('searchPatients', { query: 'ana' })).toEqual([expect.objectContaining({ id: patient.id })]);
  expect(t.app.session.require().store.audit.verifyChain()).toMatchObject({ intact: true });
}

const flu = { findings: { cough: 'present', high_fever: 'present', chills: 'present' }, vitals: [], labs: [], note: '' } satisfies CaseRequest;

describe('IPC fuzzing', () => {
  it('every request schema refuses keys it does not know', () => {
    const lax = methodNames.filter((m) => contract[m].request.safeParse({ zzNotAField: 1 }).success);
    expect(lax).toEqual([]);
  });

  it('every method refuses wrong payload types and reserved keys before any handler runs', async () => {
    const before = auditCount();
    const payloads: unknown[] = [
      null,
      undefined,
      42,
      'text',
      [],
      [{}],
      true,
      { zzNotAField: 1 },
      JSON.parse('{"__proto__": {"polluted": true}}'),
      JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
      JSON.parse('{"query": {"__proto__": {"polluted": true}}}'),
    ];
    for (const method of methodNames) {
      for (const payload of payloads) {
        const error = await fails(method, payload);
        expect([method, payload, error.code]).toEqual([method, payload, 'VALIDATION_FAILED']);
      }
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    // Nothing reached a handler: not even a read was audited.
    expect(auditCount()).toBe(before);
    await expectStillUp();
  });

  it('answers unknown channels with UNKNOWN_METHOD, quoting at most 100 characters of the name', async () => {
    const names: unknown[] = [
      'dropTables',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '',
      '../saveCase',
      'saveCase\u0000',
      'SAVECASE',
      'x'.repeat(100_000),
      42,
      null,
      undefined,
      {},
      ['saveCase'],
    ];
    for (const name of names) {
      const error = await fails(name, {});
      expect(error.code).toBe('UNKNOWN_METHOD');
      expect(error.message.length).toBeLessThan(200);
    }
    await expectStillUp();
  });

  it('names the field for each wrong-typed value in the clinical requests', async () => {
    const valid: Record<string, Record<string, unknown>> = {
      createPatient: { name: 'Bea Osei', birthDate: '1985-02-03', sex: 'female' },
      searchPatients: { query: 'bea' },
      getPatient: { patientId: patient.id },
      saveCase: { patientId: patient.id, case: flu },
      runDiagnosis: flu,
      analyseNote: { text: 'No fever.', offset: 0 },
      getCase: { caseId: patient.id },
      attachImage: { caseId: patient.id, fileName: 'a.png', dataBase64: 'AAAA' },
      getImageFrame: { imageId: patient.id, frame: 0 },
    };
    const wrong: unknown[] = [null, 0, -1, 1.5, 1e308, '', 'x', '1990-02-30', [], [1], {}, true, 'x'.repeat(1_000_001)];
    let checked = 0;
    for (const [method, payload] of Object.entries(valid)) {
      expect(contract[method as keyof typeof contract].request.safeParse(payload).success).toBe(true);
      const fields = Object.keys(payload).flatMap((k) => (k === 'case' ? Object.keys(flu).map((f) => ['case', f]) : [[k]]));
      for (const path of fields) {
        for (const value of wrong) {
          const mutated = structuredClone(payload);
          if (path.length === 1) mutated[path[0]!] = value;
          else (mutated[path[0]!] as Record<string, unknown>)[path[1]!] = value;
          // Only values the contract refuses: '' is a fine query, {} a fine set of findings.
          if (contract[method as keyof typeof contract].request.safeParse(mutated).success) continue;
          const error = await fails(method, mutated);
          expect([method, path.join('.'), error.code]).toEqual([method, path.join('.'), 'VALIDATION_FAILED']);
          expect(error.field ?? '').toMatch(new RegExp(`^${path.join('\\.')}`));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(await ok('listCases', { patientId: patient.id })).toEqual([]);
    await expectStillUp();
  });

  it('refuses 10 MB strings by field, and stores a million-character note exactly', async () => {
    const tenMb = 'x'.repeat(10 * 1024 * 1024);
    expect(await fails('createPatient', { name: tenMb, birthDate: '1990-01-01', sex: 'female' })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'name' });
    expect(await fails('saveCase', { patientId: patient.id, case: { ...flu, note: tenMb } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'case.note' });
    expect(await fails('runDiagnosis', { ...flu, note: tenMb })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'note' });
    expect(await fails('searchPatients', { query: tenMb })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query' });
    expect(await fails('analyseNote', { text: tenMb, offset: 0 })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'text' });
    expect(await fails('attachImage', { caseId: patient.id, fileName: 'n'.repeat(10_000), dataBase64: 'AAAA' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'fileName',
    });
    expect(await ok('listCases', { patientId: patient.id })).toEqual([]);

    // The largest note the contract allows, in a 3-byte script with an astral character at the end.
    const note = `${'发热三天，咳嗽。'.repeat(124_999)}😷`;
    expect(note.length).toBeLessThanOrEqual(1_000_000);
    const saved = await ok('saveCase', { patientId: patient.id, case: { ...flu, note } });
    expect((await ok('getCase', { caseId: saved.id })).note).toBe(note);
    await expectStillUp();
  });
});

describe('absurd clinical values', () => {
  it('answers each impossible lab or vital with its field, and stores none of those cases', async () => {
    const potassium = '2823-3';
    const cases: [string, unknown, Partial<ErrorPayload>][] = [
      ['1e308 mmol/L', { labs: [{ loinc: potassium, value: 1e308 }] }, { code: 'VALUE_OUT_OF_RANGE', field: `labs.${potassium}` }],
      ['negative', { labs: [{ loinc: potassium, value: -5 }] }, { code: 'VALUE_OUT_OF_RANGE', field: `labs.${potassium}` }],
      ['tiny', { labs: [{ loinc: potassium, value: 1e-300 }] }, { code: 'VALUE_OUT_OF_RANGE', field: `labs.${potassium}` }],
      ['NaN', { labs: [{ loinc: potassium, value: Number.NaN }] }, { code: 'VALIDATION_FAILED', field: 'case.labs.0.value' }],
      ['Infinity', { labs: [{ loinc: potassium, value: Number.POSITIVE_INFINITY }] }, { code: 'VALIDATION_FAILED', field: 'case.labs.0.value' }],
      ['a string', { labs: [{ loinc: potassium, value: '4.1' }] }, { code: 'VALIDATION_FAILED', field: 'case.labs.0.value' }],
      ['unknown LOINC', { labs: [{ loinc: '99999-9', value: 4 }] }, { code: 'VALIDATION_FAILED', field: 'labs.0.loinc' }],
      ['not a LOINC', { labs: [{ loinc: 'K+', value: 4 }] }, { code: 'VALIDATION_FAILED', field: 'case.labs.0.loinc' }],
      ['201 labs', { labs: Array.from({ length: 201 }, () => ({ loinc: potassium, value: 4 })) }, { code: 'VALIDATION_FAILED', field: 'case.labs' }],
      ['temperature 93 °C', { vitals: [{ code: 'temperature', value: 93 }] }, { code: 'VALUE_OUT_OF_RANGE', field: 'vitals.temperature' }],
      ['heart rate 0', { vitals: [{ code: 'heartRate', value: 0 }] }, { code: 'VALUE_OUT_OF_RANGE', field: 'vitals.heartRate' }],
      ['SpO2 140 %', { vitals: [{ code: 'spo2', value: 140 }] }, { code: 'VALUE_OUT_OF_RANGE', field: 'vitals.spo2' }],
      [
        'the same vital twice',
        {
          vitals: [
            { code: 'temperature', value: 37 },
            { code: 'temperature', value: 38 },
          ],
        },
        { code: 'VALIDATION_FAILED', field: 'vitals.1.code' },
      ],
      ['an unknown vital', { vitals: [{ code: 'bloodSugarMood', value: 1 }] }, { code: 'VALIDATION_FAILED', field: 'case.vitals.0.code' }],
    ];
    for (const [label, change, expected] of cases) {
      const error = await fails('saveCase', { patientId: patient.id, case: { ...flu, ...(change as object) } });
      expect([label, error]).toEqual([label, expect.objectContaining(expected)]);
    }
    expect(await ok('listCases', { patientId: patient.id })).toEqual([]);
    await expectStillUp();
  });
});

describe('names in every script', () => {
  const names = [
    'مريم الحسن', // Arabic, right-to-left
    'שרה כהן', // Hebrew
    'محمد O’Brien-Ní Dhomhnaill', // mixed direction
    '王芳',
    'अनन्या शर्मा',
    'สมชาย ใจดี',
    'Zoe\u0308 Ade\u0301', // combining marks (NFD)
    '👩🏽‍⚕️ Ada', // emoji with skin tone and zero-width joiner
    'ＺＨＡＮＧ　Ｗｅｉ', // full-width
    '𠜎'.repeat(100), // 200 UTF-16 units of astral CJK: the limit
  ];

  it('stores, returns and finds each name exactly as typed', async () => {
    for (const name of names) {
      const created = await ok('createPatient', { name, birthDate: '1970-01-01', sex: 'unknown' });
      expect(created.name).toBe(name);
      expect((await ok('getPatient', { patientId: created.id })).name).toBe(name);
    }
    const found = async (query: string) => (await ok('searchPatients', { query })).map((p) => p.name);
    expect(await found('الحسن')).toEqual(['مريم الحسن']);
    expect(await found('כהן')).toEqual(['שרה כהן']);
    expect(await found('o’brien')).toEqual(['محمد O’Brien-Ní Dhomhnaill']);
    expect(await found('zhang wei')).toEqual(['ＺＨＡＮＧ　Ｗｅｉ']);
    expect(await found('Ada')).toContain('👩🏽‍⚕️ Ada');
    expect(await found('芳')).toEqual(['王芳']);
  });

  it('refuses invisible controls that would change how a name displays, naming the field', async () => {
    const refused = ['\u202Eevil', 'Ana\u202DLima', 'Ana \u2067Lima\u2069', 'a\u0000b', 'tab\tname', 'line\nbreak', 'A\uD800B', 'B\uDC00', 'bell\u0007'];
    for (const name of refused) {
      const error = await fails('createPatient', { name, birthDate: '1970-01-01', sex: 'unknown' });
      expect([JSON.stringify(name), error]).toEqual([JSON.stringify(name), expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'name' })]);
    }
    expect(await ok('searchPatients', { query: '' })).toHaveLength(1);
    await expectStillUp();
  });
});

describe('malformed images', () => {
  it('answers IMAGE_UNREADABLE naming the file for each, attaches nothing, and stays up', async () => {
    const { id: caseId } = await ok('saveCase', { patientId: patient.id, case: flu });
    const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
    const files: [string, Uint8Array, RegExp][] = [
      ['garbage.dcm', Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from('not a data set')]), /invalid DICOM/],
      ['huge.dcm', writeDicom(imageElements({ rows: 65535, columns: 65535, frames: 1000, pixelData: le16([1, 2, 3, 4]) })), /larger than/],
      ['zero.dcm', writeDicom(imageElements({ rows: 0, columns: 0, pixelData: new Uint8Array(0) })), /Rows .* missing or zero/],
      ['bits13.dcm', writeDicom(imageElements({ rows: 2, columns: 2, bitsAllocated: 13, pixelData: le16([1, 2, 3, 4]) })), /Bits Allocated 13/],
      ['short-pixels.dcm', writeDicom(imageElements({ rows: 512, columns: 512, pixelData: le16([1, 2, 3, 4]) })), /truncated in Pixel Data/],
      ['empty.dcm', new Uint8Array(0), /not a PNG, JPEG, TIFF or DICOM/],
      ['random.png', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251), /not a PNG, JPEG, TIFF or DICOM/],
      ['truncated.png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), /could not decode PNG/],
    ];
    for (const [fileName, bytes, message] of files) {
      const r = await t.app.call('attachImage', { caseId, fileName, dataBase64: b64(bytes) });
      expect([fileName, r.ok]).toEqual([fileName, false]);
      const { error } = r as { ok: false; error: ErrorPayload };
      expect([fileName, error.code]).toEqual([fileName, 'IMAGE_UNREADABLE']);
      expect(error.message).toContain(fileName);
      expect(error.message).toMatch(message);
    }
    expect(await fails('attachImage', { caseId, fileName: 'x.dcm', dataBase64: 'not base64!' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'dataBase64',
    });
    expect((await ok('getCase', { caseId })).images).toEqual([] as ImageSummary[]);
    await expectStillUp();
  });
});
