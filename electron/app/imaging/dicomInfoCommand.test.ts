import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDicomInfo } from './dicomInfoCommand';
import { imageElements, le16, writeDicom } from './dicomWriter';
import { timeDicomDecode } from './imagingBench';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-dicom-info-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('runDicomInfo (lantern dicom-info)', () => {
  it('prints the summary with exit code 0', () => {
    const file = path.join(dir, 'ok.dcm');
    fs.writeFileSync(file, writeDicom(imageElements({ rows: 2, columns: 2, pixelData: le16([0, 10, 20, 30]) })));
    const { output, exitCode } = runDicomInfo(file);
    expect(exitCode).toBe(0);
    expect(output).toEqual({
      modality: 'OT',
      transferSyntax: '1.2.840.10008.1.2.1',
      rows: 2,
      columns: 2,
      frames: 1,
      photometric: 'MONOCHROME2',
      pixels: { min: 0, max: 30, mean: 15 },
    });
    expect(Object.keys(output)).toEqual(['modality', 'transferSyntax', 'rows', 'columns', 'frames', 'photometric', 'pixels']);
  });

  it('reports failures as {error: {code, message}} with exit code 2', () => {
    const notDicom = path.join(dir, 'notes.txt');
    fs.writeFileSync(notDicom, 'hello, this is text and not an image');
    expect(runDicomInfo(notDicom)).toEqual({
      output: { error: { code: 'NOT_DICOM', message: expect.stringContaining('notes.txt') as unknown as string } },
      exitCode: 2,
    });
    const missing = runDicomInfo(path.join(dir, 'absent.dcm'));
    expect(missing.exitCode).toBe(2);
    expect(missing.output).toMatchObject({ error: { code: 'FILE_NOT_FOUND' } });
    const noPixels = path.join(dir, 'sr.dcm');
    fs.writeFileSync(noPixels, writeDicom([{ tag: 0x00080060, vr: 'CS', value: 'SR' }]));
    expect(runDicomInfo(noPixels).output).toMatchObject({ error: { code: 'NO_PIXEL_DATA' } });
  });
});

describe('timeDicomDecode (benchmark helper; no timing is asserted)', () => {
  it('runs the intake path and reports its measurements', () => {
    const bytes = writeDicom(imageElements({ rows: 4, columns: 4, pixelData: le16(Array.from({ length: 16 }, (_, i) => i)) }));
    const t = timeDicomDecode(bytes, 'bench.dcm', 3);
    expect(t).toMatchObject({ fileName: 'bench.dcm', rows: 4, columns: 4, iterations: 3, transferSyntax: '1.2.840.10008.1.2.1' });
    for (const k of ['firstMs', 'medianMs', 'minMs'] as const) expect(Number.isFinite(t[k])).toBe(true);
    expect(t.checksum).toBeCloseTo(0.5, 6);
  });
});
