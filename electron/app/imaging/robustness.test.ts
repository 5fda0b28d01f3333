/**
 * Damaged input must end in a named ImagingError (or a decoded image), never in a bare TypeError,
 * RangeError or a hang: truncations and overwritten bytes of every committed fixture.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImageFileSync } from './imageDecode';
import { ImagingError } from './imagingErrors';
import { mulberry32 } from '../../../models/runtime/common/rng';

const dir = path.join(__dirname, 'fixtures');
const files = fs.readdirSync(dir).filter((f) => /\.(dcm|png|jpe?g|tif)$/.test(f));

describe('damaged files end in named errors', () => {
  for (const name of files) {
    it(name, () => {
      const original = new Uint8Array(fs.readFileSync(path.join(dir, name)));
      const rng = mulberry32(name.length * 7919);
      const outcomes = new Set<string>();
      for (let k = 0; k < 24; k++) {
        let bytes = original.slice();
        if (k % 2 === 0) {
          bytes = bytes.subarray(0, Math.floor(rng() * bytes.length));
        } else {
          for (let j = 0; j < 4; j++) bytes[Math.floor(rng() * bytes.length)] = Math.floor(rng() * 256);
        }
        try {
          decodeImageFileSync(bytes, name);
          outcomes.add('decoded');
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(ImagingError);
          expect((e as ImagingError).message).toContain(name);
          outcomes.add((e as ImagingError).code);
        }
      }
      expect(outcomes.size).toBeGreaterThan(0);
    });
  }
});
