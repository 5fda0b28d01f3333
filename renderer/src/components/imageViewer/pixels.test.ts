import { describe, expect, it } from 'vitest';
import { renderColourBar, renderOverlay, viridis } from './colourMap';
import { decodeFloat32, dragStep, dragWindow, renderWindowed, valueRange } from './pixels';
import { autoWindow, looksLikeHounsfield, matchingPreset, windowPresets } from './presets';
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
    const range = { min: 0, max: 4096 };
    expect(dragWindow({ centre: 100, width: 512 }, 10, -5, range)).toEqual({ centre: 80, width: 552 });
    expect(dragWindow({ centre: 100, width: 50 }, -1000, 0, range).width).toBeGreaterThan(0);
  });
  it('scales the drag to the window and the image value range (a CT brain window stays in reach)', () => {
    const ct = { min: -3024, max: 3071 };
    // The case: 40/100 dragged 200 px right. It used to become width 4,637.
    const brain = dragWindow({ centre: 40, width: 100 }, 200, 0, ct);
    expect(brain.width).toBeGreaterThan(200);
    expect(brain.width).toBeLessThan(300);
    expect(dragWindow({ centre: 40, width: 100 }, 0, 200, ct).centre).toBeCloseTo(40 + 200 * (100 / 128));
    // A full-range window never moves faster than OHIF's range / 1024 per pixel.
    expect(dragStep(6095, ct)).toBeCloseTo(6095 / 1024);
    // A collapsed window can still be opened.
    expect(dragStep(0.001, ct)).toBeCloseTo(6095 / 16384);
  });
});

describe('presets', () => {
  it('offers CT windows only for Hounsfield-like values', () => {
    const ct = windowPresets({ centre: 40, width: 400 }, { min: -1024, max: 3071 }).map((p) => p.id);
    expect(ct).toEqual(['file', 'full', 'lung', 'mediastinum', 'bone', 'brain']);
    expect(windowPresets({ centre: 40, width: 400 }, { min: -1024, max: 3071 }, 'CT').find((p) => p.id === 'mediastinum')).toEqual({
      id: 'mediastinum',
      centre: 50,
      width: 350,
    });
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

describe('per-modality presets', () => {
  const ramp = new Float32Array(1000).map((_, i) => i);
  it('MR and radiographs get an auto window over the 1st-99th percentile; CT does not', () => {
    expect(autoWindow(ramp)).toEqual({ centre: (10 + 989) / 2, width: 979 });
    expect(windowPresets({ centre: 500, width: 1000 }, { min: 0, max: 999 }, 'MR', ramp).map((p) => p.id)).toEqual(['file', 'full', 'auto']);
    expect(windowPresets({ centre: 500, width: 1000 }, { min: 0, max: 999 }, 'DX', ramp).map((p) => p.id)).toEqual(['file', 'full', 'auto']);
    expect(windowPresets({ centre: 40, width: 400 }, { min: -1024, max: 3071 }, 'CT', ramp).map((p) => p.id)).not.toContain('auto');
    expect(autoWindow(new Float32Array(10).fill(7))).toBeNull();
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
