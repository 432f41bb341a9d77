/**
 * CSV datasets: one example per row, numeric feature columns and a label column. The header
 * is detected, each feature column is standardised with the training split's mean and
 * standard deviation, and a ragged row or a non-number is an error that names its line.
 */
import { parse } from 'csv-parse/sync';
import { DatasetError, type Dataset } from './dataset.js';
import { splitExamples } from './split.js';

export interface CsvOptions {
  readonly name: string;
  /** Column name (with a header) or 0-based index; default: a column named label/class/target/y, else the last. */
  readonly labelColumn?: string | number;
  readonly testFraction?: number;
  readonly seed?: number;
}

const isNumber = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));

export function parseCsvDataset(text: string, opts: CsvOptions): Dataset {
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (e) {
    throw new DatasetError(`${opts.name}: not readable as CSV (${(e as Error).message})`, 'E_CSV');
  }
  if (rows.length < 2) throw new DatasetError(`${opts.name}: a CSV dataset needs at least two rows of data`, 'E_CSV');
  const hasHeader = rows[0]!.some((c) => !isNumber(c)) && rows[1]!.filter(isNumber).length > rows[0]!.filter(isNumber).length;
  const header = hasHeader ? rows[0]! : rows[0]!.map((_, i) => `column ${i + 1}`);
  const data = hasHeader ? rows.slice(1) : rows;
  const width = header.length;
  const firstLine = hasHeader ? 2 : 1;
  data.forEach((r, i) => {
    if (r.length !== width)
      throw new DatasetError(`${opts.name}: line ${firstLine + i} has ${r.length} fields but ${hasHeader ? 'the header has' : 'the first line has'} ${width}; every row needs the same columns`, 'E_CSV_RAGGED');
  });
  const labelIndex = findLabelColumn(header, hasHeader, opts);
  const featureColumns = header.map((_, i) => i).filter((i) => i !== labelIndex);
  if (!featureColumns.length) throw new DatasetError(`${opts.name}: there are no feature columns besides the label`, 'E_CSV');
  const features = new Float32Array(data.length * featureColumns.length);
  data.forEach((r, i) =>
    featureColumns.forEach((c, j) => {
      const v = r[c]!;
      if (!isNumber(v)) throw new DatasetError(`${opts.name}: line ${firstLine + i}, column "${header[c]}" is "${v}", not a number; features must be numeric`, 'E_CSV_VALUE');
      features[i * featureColumns.length + j] = Number(v);
    }),
  );
  const rawLabels = data.map((r) => r[labelIndex]!);
  const allInts = rawLabels.every((l) => /^\d+$/.test(l));
  const classNames = allInts ? Array.from({ length: Math.max(...rawLabels.map(Number)) + 1 }, (_, i) => String(i)) : [...new Set(rawLabels)].sort();
  if (classNames.length > 255) throw new DatasetError(`${opts.name}: the label column "${header[labelIndex]}" has ${classNames.length} classes; at most 255 are supported (is it the right column?)`, 'E_CSV_LABELS');
  const index = new Map(classNames.map((c, i) => [c, i]));
  const labels = Uint8Array.from(rawLabels, (l) => (allInts ? Number(l) : index.get(l)!));
  const dim = featureColumns.length;
  const { train, test } = splitExamples(features, labels, dim, opts.testFraction ?? 0.2, opts.seed ?? 0);
  standardise(train.images as Float32Array, test.images as Float32Array, dim, train.count);
  return { name: opts.name, inputShape: [dim], classes: classNames.length, classNames, scale: 1, train, test };
}

function findLabelColumn(header: readonly string[], hasHeader: boolean, opts: CsvOptions): number {
  const col = opts.labelColumn;
  if (typeof col === 'number') {
    if (col < 0 || col >= header.length) throw new DatasetError(`${opts.name}: label column ${col} does not exist (there are ${header.length} columns, 0-based)`, 'E_CSV');
    return col;
  }
  if (typeof col === 'string') {
    const i = header.indexOf(col);
    if (i < 0) throw new DatasetError(`${opts.name}: no column named "${col}"${hasHeader ? `; the columns are ${header.join(', ')}` : ' (the file has no header row)'}`, 'E_CSV');
    return i;
  }
  const named = hasHeader ? header.findIndex((h) => /^(label|class|target|y)$/i.test(h)) : -1;
  return named >= 0 ? named : header.length - 1;
}

/** Standardises each column with the training split's statistics (test data never leaks in). */
function standardise(train: Float32Array, test: Float32Array, dim: number, n: number): void {
  for (let j = 0; j < dim; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += train[i * dim + j]!;
    mean /= Math.max(n, 1);
    let v = 0;
    for (let i = 0; i < n; i++) v += (train[i * dim + j]! - mean) ** 2;
    const std = Math.sqrt(v / Math.max(n, 1)) || 1;
    for (const a of [train, test]) for (let i = j; i < a.length; i += dim) a[i] = (a[i]! - mean) / std;
  }
}
