import { describe, expect, it } from 'vitest';
import { isAcceptedImageName } from './imageFiles';

describe('isAcceptedImageName', () => {
  it('accepts the image types and files without an extension', () => {
    for (const name of ['MR_small.dcm', 'chest.PNG', 'a.jpg', 'b.JPEG', 'c.tif', '21_training.tiff', 'IM0001', 'DICOM/IM0001']) {
      expect([name, isAcceptedImageName(name)]).toEqual([name, true]);
    }
  });
  it('refuses other types', () => {
    for (const name of ['notes.pdf', 'scan.dcm.zip', 'image.gif', 'x.exe']) {
      expect([name, isAcceptedImageName(name)]).toEqual([name, false]);
    }
  });
});
