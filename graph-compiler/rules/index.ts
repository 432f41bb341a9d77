/** The structural rules, in the order they run. */
import { badParamsRule } from './badParamsRule.js';
import { cycleRule } from './cycleRule.js';
import { danglingEdgeRule } from './danglingEdgeRule.js';
import { duplicateIdRule } from './duplicateIdRule.js';
import { inputArityRule } from './inputArityRule.js';
import { noInputRule } from './noInputRule.js';
import { noOutputRule } from './noOutputRule.js';
import { unreachableRule } from './unreachableRule.js';
import type { Rule } from './rule.js';
import { unknownTypeRule } from './unknownTypeRule.js';

export const structuralRules: readonly Rule[] = [
  duplicateIdRule,
  danglingEdgeRule,
  unknownTypeRule,
  badParamsRule,
  inputArityRule,
  cycleRule,
  noInputRule,
  noOutputRule,
  unreachableRule,
];

export type { Rule } from './rule.js';
