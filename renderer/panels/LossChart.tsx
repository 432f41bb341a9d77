/**
 * The live training chart (uPlot): batch loss (raw and faint, plus its smoothed line) and each
 * epoch's train loss on the left axis, train and test accuracy per epoch on the right.
 * `data-loss-points` / `data-epoch-points` expose what is plotted for tests.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTraining, type ChartSeries } from '../state/trainStore.js';

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

function makeOptions(el: HTMLElement, width: number): uPlot.Options {
  const axis = cssVar(el, '--text-muted', '#666');
  const grid = cssVar(el, '--grid', 'rgba(128,128,128,0.15)');
  const axisStyle = { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width,
    height: 200,
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    // The x axis spans the planned epochs from the start, so the line shows how far the run has come.
    scales: { x: { time: false, range: (_u, _min, max) => [0, Math.max(1, useTraining.getState().epochs, max ?? 0)] }, acc: { range: [0, 1] } },
    axes: [
      { ...axisStyle, label: 'epoch', labelSize: 16, size: 32 },
      { ...axisStyle, label: 'loss', labelSize: 16, size: 44 },
      { ...axisStyle, scale: 'acc', side: 1, label: 'accuracy', labelSize: 16, size: 44, grid: { show: false } },
    ],
    series: [
      { label: 'epoch', value: (_u, v) => (v == null ? '' : v.toFixed(2)) },
      { label: 'batch loss', stroke: cssVar(el, '--chart-loss-raw', 'rgba(37,99,235,0.3)'), width: 1, spanGaps: true, points: { show: false } },
      { label: 'smoothed', stroke: cssVar(el, '--chart-loss', '#2563eb'), width: 2, spanGaps: true, points: { show: false } },
      { label: 'epoch loss', stroke: cssVar(el, '--chart-epoch-loss', '#7c3aed'), width: 1.5, dash: [4, 3], spanGaps: true, points: { show: true, size: 6 } },
      { label: 'train acc', scale: 'acc', stroke: cssVar(el, '--chart-train', '#16a34a'), width: 2, spanGaps: true, points: { show: true, size: 6 } },
      { label: 'test acc', scale: 'acc', stroke: cssVar(el, '--chart-test', '#dc2626'), width: 2, spanGaps: true, points: { show: true, size: 6 } },
    ],
  };
}

/** uPlot's column order, matching the series in makeOptions. */
function columns(s: ChartSeries): uPlot.AlignedData {
  return [s.x, s.loss, s.smooth, s.epochLoss, s.trainAcc, s.testAcc];
}

export function LossChart() {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const lossPoints = useTraining((s) => s.lossPoints);
  const epochPoints = useTraining((s) => s.epochPoints);

  useEffect(() => {
    const el = host.current!;
    let frame = 0;
    const build = () => {
      plot.current?.destroy();
      const s = useTraining.getState().series;
      plot.current = new uPlot(makeOptions(el, Math.max(200, el.clientWidth)), columns(s), el);
    };
    build();
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height: 200 }));
    resize.observe(el);
    // Colours come from CSS variables, so a theme switch rebuilds the plot.
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', build);
    // Events can arrive far faster than the screen refreshes: redraw at most once per frame, with the latest series.
    const unsubscribe = useTraining.subscribe((s, prev) => {
      if (s.series === prev.series || frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        plot.current?.setData(columns(useTraining.getState().series));
      });
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
      resize.disconnect();
      media.removeEventListener('change', build);
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  return (
    <div className="chart-frame">
      <div ref={host} className="chart" data-testid="loss-chart" data-loss-points={lossPoints} data-epoch-points={epochPoints} />
      {lossPoints + epochPoints === 0 && <p className="chart-empty">Loss and accuracy appear here as the model trains.</p>}
    </div>
  );
}
