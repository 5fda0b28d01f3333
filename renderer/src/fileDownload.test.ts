import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64ToBytes, downloadFile } from './fileDownload';

/** The renderer has no Buffer: base64 by way of a binary string, as a browser would. */
const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const utf8 = (s: string) => new TextEncoder().encode(s);

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('base64ToBytes', () => {
  it('decodes binary content exactly', () => {
    const bytes = Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x80, 0x0a]);
    expect(base64ToBytes(toBase64(bytes))).toEqual(bytes);
    expect(base64ToBytes('')).toEqual(new Uint8Array());
  });
});

describe('downloadFile', () => {
  it('saves through a Blob, an object URL and a clicked a[download], then releases the URL', async () => {
    vi.useFakeTimers();
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:lantern://app/1';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const events: string[] = [];
    const link = {
      href: '',
      download: '',
      rel: '',
      click: () => events.push(`click ${link.download} ${link.href}`),
      remove: () => events.push('remove'),
    };
    const doc = { createElement: (tag: string) => (expect(tag).toBe('a'), link), body: { append: () => events.push('append') } };

    downloadFile({ fileName: 'lantern-case-1.pdf', mediaType: 'application/pdf', dataBase64: toBase64(utf8('%PDF-1.7 ünïcode')) }, doc as unknown as Document);

    expect(events).toEqual(['append', 'click lantern-case-1.pdf blob:lantern://app/1', 'remove']);
    expect(blobs[0]!.type).toBe('application/pdf');
    expect(new TextDecoder().decode(await blobs[0]!.arrayBuffer())).toBe('%PDF-1.7 ünïcode');
    expect(revoke).not.toHaveBeenCalled();
    vi.runAllTimers();
    expect(revoke).toHaveBeenCalledWith('blob:lantern://app/1');
  });
});
