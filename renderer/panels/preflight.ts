/**
 * Checks that a graph fits a dataset before training starts, so the learner reads the fix here
 * instead of a stack trace from the runtime. Spatial size may differ (the runtime resizes images).
 */
import type { CheckReport, DatasetInfo } from '../../contracts/index.js';

export function preflight(report: CheckReport, dataset: DatasetInfo | undefined, loss: string | undefined): string[] {
  if (!dataset || !report.valid) return [];
  const problems: string[] = [];
  const input = report.nodes.find((n) => n.type === 'Input')?.outputShape;
  const want = dataset.inputShape;
  // Same rule as the runtime's fit check: only the image size may differ (it resizes), never the channels or rank.
  const resizable = input?.length === 3 && want.length === 3 && input[2] === want[2];
  if (input && input.join('×') !== want.join('×') && !resizable)
    problems.push(
      `The Input expects ${input.join('×')} but ${dataset.title} examples are ${want.join('×')}; set the Input shape to [${input.length === 3 && want.length === 3 ? `${input[0]}, ${input[1]}, ${want[2]}` : want.join(', ')}]`,
    );
  if (report.outputs.length !== 1) problems.push(`The graph has ${report.outputs.length} outputs; a classifier trains on exactly one (see "Model output" in the inspector)`);
  const classifier = (loss ?? 'softmaxCrossEntropy') === 'softmaxCrossEntropy';
  for (const out of report.outputs) {
    const units = out.shape?.at(-1);
    if (classifier && out.shape && (out.shape.length !== 1 || units !== dataset.classes))
      problems.push(
        `${out.id} outputs ${out.shape.join('×')} values per example but ${dataset.title} has ${dataset.classes} classes; the last layer should output [${dataset.classes}] (e.g. Dense with units ${dataset.classes}${out.shape.length > 1 ? ' after a Flatten or global pooling' : ''})`,
      );
  }
  return problems;
}
