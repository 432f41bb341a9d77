import { describe, expect, test } from 'vitest';
import { trainConfig } from '../../../../contracts/index.js';
import { defaultMoreOptions, moreOptionsConfig, moreOptionsErrors } from '../../../../renderer/panels/MoreOptions.js';

describe('more training options', () => {
  test('the defaults are valid and ask for a constant rate and seed 42 only', () => {
    expect(moreOptionsErrors(defaultMoreOptions)).toEqual({});
    expect(moreOptionsConfig(defaultMoreOptions)).toEqual({ schedule: { type: 'constant' }, seed: 42 });
  });

  test('filled-in options become TrainConfig fields the contract accepts', () => {
    const f = { ...defaultMoreOptions, schedule: 'step' as const, stepEvery: '5', stepGamma: '0.5', patience: '3', limitTest: '500', weightDecay: '0.0005', flip: true };
    const { weightDecay, ...rest } = moreOptionsConfig(f);
    expect(weightDecay).toBe(0.0005);
    expect(rest).toMatchObject({ schedule: { type: 'step', everyEpochs: 5, gamma: 0.5 }, earlyStoppingPatience: 3, limitTest: 500, augment: { flip: true, cropPadding: 0 } });
    expect(trainConfig.partial().safeParse(rest).success).toBe(true);
  });

  test('bad values are named with what is expected', () => {
    const e = moreOptionsErrors({ ...defaultMoreOptions, schedule: 'step', stepGamma: '2', patience: '0', seed: 'x', cropPadding: '100' });
    expect(Object.keys(e).sort()).toEqual(['cropPadding', 'patience', 'seed', 'stepGamma']);
  });
});
