/** How numbers and shapes read in the UI. */

/** `[28, 28, 6]` → `28×28×6`; unknown shapes read as `?`. */
export function formatShape(shape: readonly number[] | null | undefined): string {
  if (!shape) return '?';
  return shape.length ? shape.join('×') : 'scalar';
}

/** 61706 → `61.7K`; small counts stay exact. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) if (n >= size) return `${trim(n / size)}${suffix}`;
  return String(n);
}

/** Three significant digits, without trailing zeros after the point (100 stays 100, 1.50 becomes 1.5). */
const trim = (v: number): string => {
  const t = v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t;
};

/** Grouped digits for exact figures (status bar tooltips, tests). */
export const formatExact = (n: number): string => n.toLocaleString('en-US');

export function formatPercent(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)}%`;
}
