/**
 * Several finished runs on one chart: test accuracy (solid, right axis) and train loss (dashed,
 * left axis) per epoch, one colour per run, with a legend naming each run and its key settings.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { compareData, type RunCurve } from '../state/trainMath.js';

/** Distinct on light and dark backgrounds; runs beyond the palette reuse it. */
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
export const runColour = (i: number): string => PALETTE[i % PALETTE.length]!;

export function CompareChart({ curves }: { curves: readonly RunCurve[] }) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current!;
    const data = compareData(curves);
    const axisStyle = { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.15)', width: 1 } };
    const series: uPlot.Series[] = [{ label: 'epoch' }];
    curves.forEach((c, i) => series.push({ label: `${c.label} test acc`, scale: 'acc', stroke: runColour(i), width: 2, spanGaps: true, points: { show: true, size: 5 } }));
    curves.forEach((c, i) => series.push({ label: `${c.label} train loss`, stroke: runColour(i), width: 1.5, dash: [5, 4], spanGaps: true, points: { show: true, size: 4 } }));
    const plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: 180,
        // The React legend below names runs; uPlot's own would repeat every run twice.
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false, range: (_u, min, max) => [Math.min(1, min ?? 1), Math.max(2, max ?? 2)] }, acc: { range: [0, 1] } },
        axes: [
          { ...axisStyle, label: 'epoch', labelSize: 16, size: 32 },
          { ...axisStyle, label: 'train loss', labelSize: 16, size: 44 },
          { ...axisStyle, scale: 'acc', side: 1, label: 'test accuracy', labelSize: 16, size: 44, grid: { show: false } },
        ],
        series,
      },
      [data.x, ...data.testAccuracy, ...data.trainLoss],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height: 180 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [curves]);

  return (
    <div className="compare" data-testid="compare-chart" data-runs={curves.length} data-points={curves.reduce((n, c) => n + c.epochs.length, 0)}>
      <div ref={host} className="chart" />
      <ul className="compare-legend">
        {curves.map((c, i) => (
          <li key={i} data-testid="compare-legend-item">
            <span className="swatch" style={{ background: runColour(i) }} />
            {c.label}
          </li>
        ))}
        <li className="muted">solid: test accuracy · dashed: train loss</li>
      </ul>
    </div>
  );
}
