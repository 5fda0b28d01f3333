import { describe, expect, it } from 'vitest';
import { caseSectionForShortcut } from './caseSections';

const key = (code: string, mods: Partial<Record<'altKey' | 'shiftKey' | 'ctrlKey' | 'metaKey', boolean>> = {}) => ({
  code,
  altKey: false,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
});

describe('case section shortcuts', () => {
  it('Alt+Shift+S/V/L/N/R by physical key', () => {
    expect(caseSectionForShortcut(key('KeyS', { altKey: true, shiftKey: true }))).toBe('symptoms');
    expect(caseSectionForShortcut(key('KeyV', { altKey: true, shiftKey: true }))).toBe('vitals');
    expect(caseSectionForShortcut(key('KeyL', { altKey: true, shiftKey: true }))).toBe('labs');
    expect(caseSectionForShortcut(key('KeyN', { altKey: true, shiftKey: true }))).toBe('note');
    expect(caseSectionForShortcut(key('KeyR', { altKey: true, shiftKey: true }))).toBe('run');
  });

  it('leaves typing and other shortcuts alone', () => {
    expect(caseSectionForShortcut(key('KeyS'))).toBeNull();
    expect(caseSectionForShortcut(key('KeyS', { shiftKey: true }))).toBeNull();
    expect(caseSectionForShortcut(key('KeyS', { altKey: true }))).toBeNull();
    expect(caseSectionForShortcut(key('KeyS', { altKey: true, shiftKey: true, ctrlKey: true }))).toBeNull();
    expect(caseSectionForShortcut(key('KeyX', { altKey: true, shiftKey: true }))).toBeNull();
  });
});
