/**
 * Live training, end to end against `layerlab serve`: LeNet trains on a Fashion-MNIST slice while
 * the chart and per-layer health fill in; a reload mid-run brings the chart back and keeps
 * following the run; it stops at the end of an epoch; two finished runs are compared on one
 * chart; a run exports to PyTorch.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { resultsDir, screenshot, useApp } from './harness.js';

const app = useApp();
let page: Page;
let errors: string[];

beforeAll(() => {
  ({ page, errors } = app);
});

const chart = () => page.getByTestId('loss-chart');
const lossPoints = async () => Number(await chart().getAttribute('data-loss-points'));
const epochPoints = async () => Number(await chart().getAttribute('data-epoch-points'));
const status = () => page.textContent('[data-testid=train-status]');
const gradNorm = (id: string) => page.getAttribute(`[data-testid=health-row][data-node=${id}]`, 'data-grad-norm');
/** "epoch:batch" of the health sample on show. */
const healthSample = () => page.getAttribute('[data-testid=train-health]', 'data-sample');

/** Fills the Train panel for LeNet on 6,144 Fashion-MNIST examples in batches of 128 (48 batches an epoch, so a reload lands mid-run). */
async function configure(epochs: number, learningRate: string) {
  await page.waitForSelector('[data-testid=train-dataset] option[value=fashion-mnist]', { state: 'attached' });
  await page.selectOption('[data-testid=train-dataset]', 'fashion-mnist');
  await page.fill('[data-testid=train-epochs]', String(epochs));
  await page.fill('[data-testid=train-batchSize]', '128');
  await page.fill('[data-testid=train-learningRate]', learningRate);
  await page.fill('[data-testid=train-limitTrain]', '6144');
  await page.fill('[data-testid=train-healthEvery]', '2');
  if (!(await page.locator('[data-testid=more-options]').getAttribute('open'))) await page.click('[data-testid=more-options] summary');
  await page.fill('[data-testid=train-limitTest]', '500');
}

async function waitForEnd() {
  await page.waitForFunction(() => ['Done', 'Failed', 'Stopped'].includes(document.querySelector('[data-testid=train-status]')?.textContent ?? ''), null, { timeout: 60_000 });
  const message = await page.getByTestId('train-message').textContent({ timeout: 500 }).catch(() => '');
  return { status: await status(), why: `${message}\n${app.server.log()}` };
}

describe('live training', () => {
  test('the chart and per-layer health fill in while LeNet trains', async () => {
    await page.selectOption('[data-testid=template-picker]', 'lenet');
    await page.waitForSelector('[data-testid=node-conv1]');
    await configure(2, '0.01');
    await page.click('[data-testid=train-start]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=loss-chart]')?.getAttribute('data-loss-points')) >= 2, null, { timeout: 60_000 });
    // Health is sampled every 2 batches: a row per layer in the panel and a badge on the node.
    await page.waitForSelector('[data-testid=health-row][data-node=conv1]', { timeout: 30_000 });
    expect(await page.getByTestId('node-conv1').getByTestId('node-health').count()).toBe(1);
    expect(Number(await gradNorm('conv1'))).toBeGreaterThan(0);
    expect(await healthSample()).toMatch(/^1:\d+$/);
    // With the speed known, the time left is shown beside examples/s.
    expect(await page.textContent('[data-testid=train-eta]')).toMatch(/^\d+ (s|min)/);
  });

  test('after a reload mid-run the chart comes back with its points and keeps growing', async () => {
    const before = { loss: await lossPoints(), sample: await healthSample() };
    expect(before.loss).toBeGreaterThan(0);
    await page.reload();
    // The running run is found, rebuilt from its recorded events, and followed live.
    await expect.poll(lossPoints, { timeout: 15_000 }).toBeGreaterThanOrEqual(before.loss);
    expect(await status()).toMatch(/^Epoch \d of 2$/);
    // The form shows what the run trains with.
    expect(await page.inputValue('[data-testid=train-epochs]')).toBe('2');
    expect(await page.inputValue('[data-testid=train-limitTrain]')).toBe('6144');
    await page.waitForSelector('[data-testid=node-conv1] [data-testid=node-health]');
    const restored = await lossPoints();
    await expect.poll(lossPoints, { timeout: 30_000 }).toBeGreaterThan(restored);
    await screenshot(page, 'training-reloaded');

    // Stop at the end of the epoch being trained: the run ends with whole epochs only.
    await page.click('[data-testid=train-stop-epoch]');
    const end = await waitForEnd();
    expect(end.status, end.why).toBe('Stopped');
    const loss = await lossPoints();
    // Every epoch it began is complete (48 batches each) and tested.
    expect(loss % 48).toBe(0);
    expect(await epochPoints()).toBe(loss / 48);
    // Later health samples replaced the one from before the reload.
    expect(await healthSample()).not.toBe(before.sample);
    expect(await page.locator('[data-testid=health-row]').count()).toBeGreaterThan(1);
  });

  test('two finished runs are compared on one chart, each named with its settings', async () => {
    await configure(1, '0.005');
    await page.click('[data-testid=train-start]');
    const end = await waitForEnd();
    expect(end.status, end.why).toBe('Done');
    const runs = page.getByTestId('run');
    await expect.poll(() => runs.count()).toBe(2);
    await expect.poll(() => page.locator('[data-testid=run][data-status=done]').count()).toBe(1);
    await runs.nth(0).getByTestId('run-compare').check();
    await runs.nth(1).getByTestId('run-compare').check();
    const compare = page.getByTestId('compare-chart');
    await expect.poll(() => compare.getAttribute('data-runs')).toBe('2');
    const legend = await page.getByTestId('compare-legend-item').allTextContents();
    expect(legend).toHaveLength(2);
    // LeNet's template trains with its own optimizer; the learning rate is what differs here.
    expect(legend.filter((l) => /^LeNet-5 .* · \w+ · lr 0\.005 · batch 128$/.test(l))).toHaveLength(1);
    expect(legend.filter((l) => /^LeNet-5 .* · \w+ · lr 0\.01 · batch 128$/.test(l))).toHaveLength(1);
    // One epoch from the new run plus however many the stopped run finished.
    expect(Number(await compare.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
    expect(await compare.locator('canvas').count()).toBeGreaterThan(0);
    await compare.scrollIntoViewIfNeeded();
    await screenshot(page, 'training-compare');
  });

  test('a run exports to PyTorch: model.py and weights.npz', async () => {
    const run = page.locator('[data-testid=run][data-status=done]');
    const formats = await run.getByTestId('run-export-format').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(formats).toEqual(['tfjs', 'safetensors', 'pytorch', 'keras']);
    await run.getByTestId('run-export-format').selectOption('pytorch');
    const names: string[] = [];
    page.on('download', async (d) => {
      await d.saveAs(path.join(resultsDir, `training-export-${d.suggestedFilename()}`));
      names.push(d.suggestedFilename());
    });
    await run.getByTestId('run-export').click();
    await expect.poll(() => [...names].sort(), { timeout: 30_000 }).toEqual(['model.py', 'weights.npz']);
    expect(errors).toEqual([]);
  });
});
