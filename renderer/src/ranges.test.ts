import { describe, expect, it } from 'vitest';
import { checkValue, parseNumber, rangeFlag, type RangeLimits } from './ranges';

const temperature: RangeLimits = {
  normalLow: 36.1,
  normalHigh: 37.8,
  criticalLow: 35,
  criticalHigh: 40,
  plausibleMin: 25,
  plausibleMax: 45,
};

describe('ranges', () => {
  it('flags low, high and critical values', () => {
    expect(rangeFlag(37, temperature)).toBe('normal');
    expect(rangeFlag(36.1, temperature)).toBe('normal');
    expect(rangeFlag(35.5, temperature)).toBe('low');
    expect(rangeFlag(38.5, temperature)).toBe('high');
    expect(rangeFlag(34, temperature)).toBe('critical-low');
    expect(rangeFlag(41, temperature)).toBe('critical-high');
  });

  it('handles one-sided limits', () => {
    const oneSided: RangeLimits = { ...temperature, normalLow: null, criticalLow: null };
    expect(rangeFlag(26, oneSided)).toBe('normal');
  });

  it('separates implausible values from flagged ones', () => {
    expect(checkValue('60', temperature)).toEqual({ status: 'implausible', value: 60 });
    expect(checkValue('39', temperature)).toEqual({ status: 'ok', value: 39, flag: 'high' });
    expect(checkValue('  ', temperature)).toEqual({ status: 'empty' });
    expect(checkValue('abc', temperature)).toEqual({ status: 'invalid' });
  });

  it('parses only finite numbers', () => {
    expect(parseNumber('Infinity')).toEqual({ kind: 'invalid' });
    expect(parseNumber('-2.5')).toEqual({ kind: 'number', value: -2.5 });
  });
});
