/** The test set's confusion matrix after a run: rows are the true class, columns the predicted one. */
import type { EvaluationEvent } from '../../contracts/index.js';
import { useState } from 'react';
import { formatPercent } from '../format.js';
import { ExampleImages } from './ExampleImages.js';

export function ConfusionMatrix({ evaluation, dataset }: { evaluation: EvaluationEvent; dataset: string | null }) {
  const { classNames, confusion, recall, accuracy, top5Accuracy } = evaluation;
  const [cell, setCell] = useState<[number, number] | null>(null);
  const examples = cell ? (evaluation.examples?.[`${cell[0]},${cell[1]}`] ?? []) : [];
  const rowTotals = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  return (
    <div className="confusion" data-testid="confusion-matrix">
      <h3>
        Test set: {formatPercent(accuracy)} correct{top5Accuracy ? `, top-5 ${formatPercent(top5Accuracy)}` : ''}
      </h3>
      <table>
        <thead>
          <tr>
            <th className="corner" title="true class ↓ / predicted class →">true \ pred</th>
            {classNames.map((c, j) => (
              <th key={j} title={c}>
                {j}
              </th>
            ))}
            <th title="recall: the share of this class predicted correctly">recall</th>
          </tr>
        </thead>
        <tbody>
          {confusion.map((row, i) => (
            <tr key={i}>
              <th className="class-name" title={classNames[i]}>
                {i} {classNames[i]}
              </th>
              {row.map((count, j) => {
                // Shade by the share of the true class, so rare classes read as clearly as common ones.
                const share = rowTotals[i] ? count / rowTotals[i]! : 0;
                const clickable = i !== j && (evaluation.examples?.[`${i},${j}`]?.length ?? 0) > 0;
                return (
                  <td
                    key={j}
                    className={`${i === j ? 'diag' : 'off'}${clickable ? ' clickable' : ''}${cell?.[0] === i && cell[1] === j ? ' picked' : ''}`}
                    onClick={clickable ? () => setCell([i, j]) : undefined}
                    data-testid={clickable ? `confusion-cell-${i}-${j}` : undefined}
                    data-count={count}
                    style={{ '--share': share.toFixed(3) } as React.CSSProperties}
                    title={`${count} ${classNames[i]} predicted as ${classNames[j]}${clickable ? ' (click to see some)' : ''}`}
                  >
                    {count || ''}
                  </td>
                );
              })}
              <td className="recall">{formatPercent(recall[i] ?? null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {cell && dataset && examples.length > 0 && (
        <ExampleImages dataset={dataset} actual={classNames[cell[0]] ?? ''} predicted={classNames[cell[1]] ?? ''} predictedIndex={cell[1]} examples={examples} />
      )}
    </div>
  );
}
