import { describe, expect, it } from 'vitest';
import { renderColourBar, renderOverlay, viridis } from './colourMap';
import { decodeFloat32, dragWindow, renderWindowed, valueRange } from './pixels';
import { looksLikeHounsfield, matchingPreset, windowPresets } from './presets';
import { fitView, zoomAt } from './viewTransform';

function base64OfFloats(values: number[]): string {
  const buf = new ArrayBuffer(values.length * 4);
  const view = new DataView(buf);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return btoa(String.fromCharCode(...new Uint8Array(buf)));
}

describe('frame decoding', () => {
  it('reads little-endian Float32', () => {
    const values = decodeFloat32(base64OfFloats([-1024, 0, 1.5, 3071]), 4);
    expect([...values]).toEqual([-1024, 0, 1.5, 3071]);
    expect(valueRange(values)).toEqual({ min: -1024, max: 3071 });
  });
  it('refuses a frame of the wrong size', () => {
    expect(() => decodeFloat32(base64OfFloats([1, 2, 3]), 4)).toThrow(RangeError);
  });
});

describe('window/level', () => {
  it('maps grey values linearly inside the window and clamps outside', () => {
    const out = new Uint8ClampedArray(4 * 4);
    renderWindowed(new Float32Array([-200, 0, 100, 400]), 1, { centre: 100, width: 200 }, false, out);
    expect([out[0], out[4], out[12]]).toEqual([0, 0, 255]);
    expect(Math.abs(out[8]! - 127.5)).toBeLessThanOrEqual(0.5);
    expect(out[3]).toBe(255);
    expect([out[9], out[10]]).toEqual([out[8], out[8]]);
  });
  it('inverts MONOCHROME1', () => {
    const out = new Uint8ClampedArray(4);
    renderWindowed(new Float32Array([0]), 1, { centre: 50, width: 100 }, true, out);
    expect(out[0]).toBe(255);
  });
  it('windows RGB per channel', () => {
    const out = new Uint8ClampedArray(4);
    renderWindowed(new Float32Array([0, 127.5, 255]), 3, { centre: 127.5, width: 255 }, true, out);
    expect([...out]).toEqual([0, 128, 255, 255]);
  });
  it('drags: right widens, down raises the centre, never below a minimum width', () => {
    const range = { min: 0, max: 256 };
    expect(dragWindow({ centre: 100, width: 50 }, 10, -5, range)).toEqual({ centre: 95, width: 60 });
    expect(dragWindow({ centre: 100, width: 50 }, -1000, 0, range).width).toBeGreaterThan(0);
  });
});

describe('presets', () => {
  it('offers CT windows only for Hounsfield-like values', () => {
    const ct = windowPresets({ centre: 40, width: 400 }, { min: -1024, max: 3071 }).map((p) => p.id);
    expect(ct).toEqual(['file', 'full', 'lung', 'bone', 'soft', 'brain']);
    const mr = windowPresets({ centre: 600, width: 1200 }, { min: 0, max: 1500 }).map((p) => p.id);
    expect(mr).toEqual(['file', 'full']);
    expect(looksLikeHounsfield({ min: 0, max: 255 })).toBe(false);
  });
  it('drops a missing file window and recognises the active preset', () => {
    const presets = windowPresets({ centre: NaN, width: 0 }, { min: 0, max: 255 });
    expect(presets.map((p) => p.id)).toEqual(['full']);
    expect(matchingPreset(presets, { centre: 127.5, width: 255 })).toBe('full');
    expect(matchingPreset(presets, { centre: 10, width: 255 })).toBeNull();
  });
});

describe('overlay colour map', () => {
  it('is viridis from dark purple to yellow, transparent near zero', () => {
    expect([...viridis.slice(0, 3)]).toEqual([68, 1, 84]);
    expect([...viridis.slice(255 * 3)]).toEqual([253, 231, 37]);
    const out = new Uint8ClampedArray(8);
    renderOverlay(new Uint8Array([0, 255]), out);
    expect(out[3]).toBe(0);
    expect([...out.slice(4)]).toEqual([253, 231, 37, 255]);
    const bar = new Uint8ClampedArray(256 * 4);
    renderColourBar(bar);
    expect(bar[255 * 4 + 3]).toBe(255);
  });
});

describe('view transform', () => {
  it('fits and zooms about a point', () => {
    const fit = fitView(100, 50, 400, 400);
    expect(fit).toEqual({ zoom: 4, panX: 0, panY: 100 });
    const z = zoomAt(fit, 2, 200, 200);
    // The image point under (200, 200) stays there.
    expect((200 - fit.panX) / fit.zoom).toBeCloseTo((200 - z.panX) / z.zoom);
  });
});
