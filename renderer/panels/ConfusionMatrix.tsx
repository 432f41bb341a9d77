/** The test set's confusion matrix after a run: rows are the true class, columns the predicted one. */
import type { EvaluationEvent } from '../../contracts/index.js';
import { formatPercent } from '../format.js';

export function ConfusionMatrix({ evaluation }: { evaluation: EvaluationEvent }) {
  const { classNames, confusion, recall, accuracy, top5Accuracy } = evaluation;
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
                return (
                  <td
                    key={j}
                    className={i === j ? 'diag' : 'off'}
                    style={{ '--share': share.toFixed(3) } as React.CSSProperties}
                    title={`${count} ${classNames[i]} predicted as ${classNames[j]}`}
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
    </div>
  );
}
