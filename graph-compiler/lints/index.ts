/** The teaching lints, run after shape inference. */
import { denseOnFeatureMapLint } from './denseOnFeatureMapLint.js';
import { doubleSoftmaxLint } from './doubleSoftmaxLint.js';
import { dropoutAtEndLint } from './dropoutAtEndLint.js';
import { kernelTooLargeLint } from './kernelTooLargeLint.js';
import type { Lint } from './lint.js';
import { linearCollapseLint } from './linearCollapseLint.js';
import { vanishingGradientLint } from './vanishingGradientLint.js';

export const teachingLints: readonly Lint[] = [
  linearCollapseLint,
  doubleSoftmaxLint,
  vanishingGradientLint,
  dropoutAtEndLint,
  kernelTooLargeLint,
  denseOnFeatureMapLint,
];

export { lintContext, type Lint, type LintContext } from './lint.js';
