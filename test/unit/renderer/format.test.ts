import { describe, expect, test } from 'vitest';
import { formatCount, formatPercent, formatShape } from '../../../renderer/format.js';

describe('formatting', () => {
  test('shapes read as d2l writes them', () => {
    expect(formatShape([28, 28, 6])).toBe('28×28×6');
    expect(formatShape([400])).toBe('400');
    expect(formatShape(null)).toBe('?');
  });

  test('counts keep three significant digits and never lose a zero before the point', () => {
    expect(formatCount(156)).toBe('156');
    expect(formatCount(100_352)).toBe('100K');
    expect(formatCount(1_000)).toBe('1K');
    expect(formatCount(61_706)).toBe('61.7K');
    expect(formatCount(1_500_000)).toBe('1.5M');
    expect(formatCount(11_200_000)).toBe('11.2M');
    expect(formatCount(120_000_000)).toBe('120M');
  });

  test('percentages', () => {
    expect(formatPercent(0.8123)).toBe('81.2%');
    expect(formatPercent(null)).toBe('–');
  });
});
