import { useEffect, useRef, useState } from 'react';
import type { ErrorPayload, ImageFrame } from '../../../../electron/contract/ipcContract';
import { api } from '../../api/lanternClient';
import { clearFeatureReady } from '../../readiness';
import { decodeFloat32, valueRange, type ValueRange } from './pixels';

export interface DecodedFrame {
  meta: Omit<ImageFrame, 'pixelsBase64'>;
  pixels: Float32Array;
  range: ValueRange;
}

export interface FrameState {
  /** The latest frame loaded: kept on screen while the next one loads, so scrolling does not flash. */
  frame: DecodedFrame | null;
  loading: boolean;
  error: ErrorPayload | null;
}

const CACHE_FRAMES = 24;

function decode(f: ImageFrame): DecodedFrame {
  const { pixelsBase64, ...meta } = f;
  const pixels = decodeFloat32(pixelsBase64, f.width * f.height * f.channels);
  return { meta, pixels, range: valueRange(pixels) };
}

/** Loads frame `index` of an image (decoded, cached per image). */
export function useImageFrame(imageId: string, index: number): FrameState {
  const cache = useRef(new Map<number, DecodedFrame>());
  const [state, setState] = useState<FrameState>({ frame: null, loading: true, error: null });

  useEffect(() => {
    const cached = cache.current.get(index);
    if (cached) {
      setState({ frame: cached, loading: false, error: null });
      return;
    }
    let live = true;
    clearFeatureReady('viewer');
    setState((prev) => ({ ...prev, loading: true, error: null }));
    void api.getImageFrame({ imageId, frame: index }).then((r) => {
      if (!live) return;
      if (!r.ok) return setState((prev) => ({ ...prev, loading: false, error: r.error }));
      let decoded: DecodedFrame;
      try {
        decoded = decode(r.value);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return setState((prev) => ({ ...prev, loading: false, error: { code: 'IMAGE_UNREADABLE', message } }));
      }
      const c = cache.current;
      c.set(index, decoded);
      // Oldest out first (Map keeps insertion order).
      while (c.size > CACHE_FRAMES) c.delete(c.keys().next().value as number);
      setState({ frame: decoded, loading: false, error: null });
    });
    return () => {
      live = false;
    };
  }, [imageId, index]);

  return state;
}
