/**
 * The foundation, end to end in a real browser against `layerlab serve`: LeNet opens with a
 * shape on every edge and the totals in the status bar, then trains on a slice of Fashion-MNIST
 * while the chart receives the streamed points.
 */
import { readFileSync, statSync } from 'node:fs';
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

// LeNet-5 as d2l builds it for 28×28 inputs: the tensor on each edge.
const lenetEdges: [string, string, string][] = [
  ['input', 'conv1', '28×28×1'],
  ['conv1', 'pool1', '28×28×6'],
  ['pool1', 'conv2', '14×14×6'],
  ['conv2', 'pool2', '10×10×16'],
  ['pool2', 'flatten', '5×5×16'],
  ['flatten', 'fc1', '400'],
  ['fc1', 'fc2', '120'],
  ['fc2', 'logits', '84'],
];

describe('foundation', () => {
  test('the LeNet template opens with a shape label on every edge', async () => {
    await page.selectOption('[data-testid=template-picker]', 'lenet');
    await page.waitForSelector('[data-testid=edge-label-conv1-pool1]');
    expect(await page.textContent('[data-testid=doc-name]')).toBe('LeNet-5');
    for (const [s, t, shape] of lenetEdges) expect(await page.textContent(`[data-testid=edge-label-${s}-${t}]`), `${s}→${t}`).toBe(shape);
  });

  test('each node shows its type, id, output shape and parameter count', async () => {
    const conv1 = page.getByTestId('node-conv1');
    expect(await conv1.getByTestId('node-type').textContent()).toBe('Conv2D');
    expect(await conv1.getByTestId('node-id').textContent()).toBe('conv1');
    expect(await conv1.getByTestId('node-shape').textContent()).toBe('28×28×6');
    // 5·5·1·6 weights + 6 biases.
    expect(await conv1.getByTestId('node-params').getAttribute('title')).toBe('156 parameters');
    expect(await page.getByTestId('node-fc1').getByTestId('node-params').getAttribute('title')).toBe('48,120 parameters');
  });

  test('the status bar shows the totals', async () => {
    // 156 + 2,416 + 48,120 + 10,164 + 850.
    expect(await page.getAttribute('[data-testid=status-params]', 'data-value')).toBe('61706');
    expect(Number(await page.getAttribute('[data-testid=status-flops]', 'data-value'))).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid=status-problems]')).toBe('No problems');
  });

  test('training streams batch loss and epoch accuracy into the chart', async () => {
    await page.waitForSelector('[data-testid=train-dataset] option[value=fashion-mnist]', { state: 'attached' });
    await page.selectOption('[data-testid=train-dataset]', 'fashion-mnist');
    await page.fill('[data-testid=train-epochs]', '1');
    await page.fill('[data-testid=train-batchSize]', '128');
    await page.fill('[data-testid=train-limitTrain]', '1024');
    await page.click('[data-testid=more-options] summary');
    await page.fill('[data-testid=train-limitTest]', '1000');
    await page.click('[data-testid=train-start]');

    const chart = page.getByTestId('loss-chart');
    // Wait for the run to end either way, so a failed run reports its message instead of a timeout.
    await page.waitForFunction(
      () => ['Done', 'Failed', 'Stopped'].includes(document.querySelector('[data-testid=train-status]')?.textContent ?? ''),
      null,
      { timeout: 150_000 },
    );
    await screenshot(page, 'foundation-trained');
    const message = await page.getByTestId('train-message').textContent({ timeout: 1000 }).catch(() => '');
    expect(await page.textContent('[data-testid=train-status]'), `run failed: ${message}\n${app.server.log()}`).toBe('Done');
    // 1,024 examples in batches of 128 is 8 batches, one batch event each (the default).
    expect(Number(await chart.getAttribute('data-loss-points'))).toBe(8);
    expect(Number(await chart.getAttribute('data-epoch-points'))).toBe(1);
    expect(await page.textContent('[data-testid=train-backend]')).not.toBe('–');
    expect(await page.textContent('[data-testid=train-speed]')).toMatch(/^\d/);
    expect(await page.textContent('[data-testid=test-acc]')).toMatch(/^\d+(\.\d)?%$/);
    // After the run the test set's confusion matrix shows one row per Fashion-MNIST class.
    await expect.poll(() => page.locator('[data-testid=confusion-matrix] tbody tr').count()).toBe(10);
    expect(await page.locator('[data-testid=confusion-matrix] tbody tr').first().textContent()).toContain('T-shirt');
    // Every one of the 1,000 test examples (the limit set under More options) lands in one cell.
    const counts = await page.$$eval('[data-testid=confusion-matrix] td[data-count]', (tds) => tds.map((td) => Number(td.getAttribute('data-count'))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
    // Misclassified test images of a confusion cell load from the dataset and are drawn.
    const cell = page.locator('[data-testid^=confusion-cell-]').first();
    await cell.click();
    await expect.poll(() => page.locator('[data-testid=misclassified] canvas').count()).toBeGreaterThan(0);
    await page.locator('[data-testid=misclassified]').scrollIntoViewIfNeeded();
    await screenshot(page, 'foundation-misclassified');
    // uPlot draws onto a canvas sized to its container.
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  test('the finished run is listed, and picking it replays its curves and reopens its graph', async () => {
    const run = page.getByTestId('run').first();
    await run.waitFor();
    await expect.poll(() => run.locator('.run-state').textContent()).toBe('done');
    await page.selectOption('[data-testid=template-picker]', 'mlp');
    await page.waitForFunction(() => document.querySelector('[data-testid=doc-name]')?.textContent !== 'LeNet-5');
    await run.locator('.run-main').click();
    await expect.poll(() => page.getAttribute('[data-testid=loss-chart]', 'data-loss-points')).toBe('8');
    // The trained model downloads in TF.js format: model.json and its weights.
    const files: Record<string, string> = {};
    page.on('download', async (d) => {
      const p = path.join(resultsDir, `export-${d.suggestedFilename()}`);
      await d.saveAs(p);
      files[d.suggestedFilename()] = p;
    });
    await run.getByTestId('run-export').click();
    await expect.poll(() => Object.keys(files).sort()).toEqual(['model.json', 'weights.bin']);
    const model = JSON.parse(readFileSync(files['model.json']!, 'utf8'));
    expect(model.weightsManifest[0].paths).toEqual(['weights.bin']);
    // LeNet's 61,706 parameters as float32.
    await expect.poll(() => statSync(files['weights.bin']!).size).toBe(61_706 * 4);
    await run.getByTestId('run-open-graph').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=doc-name]')?.textContent === 'LeNet-5');
    expect(await page.textContent('[data-testid=edge-label-conv1-pool1]')).toBe('28×28×6');
  });

  test('a run can be paused, resumed and stopped', async () => {
    await page.fill('[data-testid=train-epochs]', '3');
    await page.fill('[data-testid=train-batchSize]', '32');
    await page.fill('[data-testid=train-limitTrain]', '4096');
    await page.click('[data-testid=train-start]');
    const status = () => page.textContent('[data-testid=train-status]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=loss-chart]')?.getAttribute('data-loss-points')) > 0, null, { timeout: 60_000 });
    await page.click('[data-testid=train-pause]');
    await expect.poll(status, { timeout: 15_000 }).toBe('Paused');
    const frozen = await page.getAttribute('[data-testid=loss-chart]', 'data-loss-points');
    await page.waitForTimeout(1000);
    expect(await page.getAttribute('[data-testid=loss-chart]', 'data-loss-points')).toBe(frozen);
    await page.click('[data-testid=train-pause]');
    await expect.poll(status, { timeout: 15_000 }).toMatch(/^Epoch/);
    await page.click('[data-testid=train-stop]');
    await expect.poll(status, { timeout: 60_000 }).toBe('Stopped');
  });
});
