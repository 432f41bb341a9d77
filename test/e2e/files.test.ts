/**
 * Whole-document features in a real browser: auto-layout, save/open, autosave across a reload and
 * the OS theme. The tests run in order: the file saved here is the one the later ones see.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../graph-compiler/index.js';
import { canvasHelpers } from './canvas.js';
import { resultsDir, screenshot, useApp } from './harness.js';

const app = useApp({ acceptDownloads: true });
let page: Page;
let errors: string[];

const ui = canvasHelpers(() => page);

beforeAll(async () => {
  ({ page, errors } = app);
  await ui.openLenet();
});

describe('layout, files and theme', () => {
  test('auto-layout leaves no two nodes overlapping', async () => {
    await page.selectOption('[data-testid=template-picker]', 'resnet18');
    await page.waitForSelector('[data-testid=node-logits]');
    await page.click('[data-testid=auto-layout]');
    await page.waitForTimeout(1500);
    expect(await page.locator('.react-flow__node').count()).toBeGreaterThan(5);
    await ui.expectNoOverlaps();
    await screenshot(page, 'editor-resnet18-layout');
    // A block instance lists the layers it expands to, with this instance's shapes.
    await page.click('[data-testid=node-b2_res1]');
    const rows = await page.getByTestId('block-contents').locator('tr').allTextContents();
    expect(rows[0]).toMatch(/^conv1Conv2D24×24×64/);
    expect(await page.textContent('[data-testid=inspector-input]')).toBe('24×24×64');
  });

  test('save downloads the document and open reads it back', async () => {
    await ui.openLenet();
    await ui.scrollTo('fc1');
    await page.click('[data-testid=node-fc1]');
    await page.fill('[data-testid=param-units]', '100');
    // Ctrl+S saves even while the cursor is still in the field just edited.
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Control+s')]);
    expect(download.suggestedFilename()).toBe('lenet-5.layerlab.json');
    const file = path.join(resultsDir, 'saved.layerlab.json');
    await download.saveAs(file);
    const saved = compile(readFileSync(file, 'utf8'));
    expect(saved.document?.nodes.find((n) => n.id === 'fc1')?.params?.units).toBe(100);
    expect(saved.report.nodes.find((n) => n.id === 'fc1')?.outputShape).toEqual([100]);

    const renamed = { ...saved.document!, name: 'My LeNet' };
    writeFileSync(file, JSON.stringify(renamed));
    await page.selectOption('[data-testid=template-picker]', 'mlp');
    await page.setInputFiles('[data-testid=open-file-input]', file);
    // Whichever answer comes last, the file opened after the template wins.
    await page.waitForFunction(() => document.querySelector('[data-testid=doc-name]')?.textContent === 'My LeNet');
    await ui.expectLabel('fc1', 'fc2', '100');
  });

  test('a graph file dropped on the window opens', async () => {
    const text = readFileSync(path.join(resultsDir, 'saved.layerlab.json'), 'utf8');
    await page.selectOption('[data-testid=template-picker]', 'mlp');
    await page.waitForFunction(() => document.querySelector('[data-testid=doc-name]')?.textContent === 'MLP');
    await page.evaluate((json) => {
      const dt = new DataTransfer();
      dt.items.add(new File([json], 'dropped.layerlab.json', { type: 'application/json' }));
      document.querySelector('[data-testid=canvas]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, text);
    await page.waitForFunction(() => document.querySelector('[data-testid=doc-name]')?.textContent === 'My LeNet');
  });

  test('a file that is not a graph is refused with a message', async () => {
    const file = path.join(resultsDir, 'not-a-graph.json');
    writeFileSync(file, '{"hello": 1}');
    await page.setInputFiles('[data-testid=open-file-input]', file);
    expect(await page.textContent('[data-testid=error-banner]')).toMatch(/layerlab-graph/);
    expect(await page.textContent('[data-testid=doc-name]')).toBe('My LeNet');
  });

  test('a reload brings back the document being edited', async () => {
    expect(await page.textContent('[data-testid=doc-name]')).toBe('My LeNet');
    await page.waitForTimeout(700);
    await page.reload();
    await page.waitForSelector('[data-testid=edge-label-fc1-fc2]');
    expect(await page.textContent('[data-testid=doc-name]')).toBe('My LeNet');
    await ui.expectLabel('fc1', 'fc2', '100');
  });

  test('the graph is renamed from the toolbar, and saves under its new name', async () => {
    await page.click('[data-testid=doc-name]');
    await page.fill('[data-testid=doc-name-input]', 'Tiny LeNet');
    await page.keyboard.press('Enter');
    expect(await page.textContent('[data-testid=doc-name]')).toBe('Tiny LeNet');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=save-file]')]);
    expect(download.suggestedFilename()).toBe('tiny-lenet.layerlab.json');
  });

  test('the theme follows the OS', async () => {
    await ui.openLenet();
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await bg();
    await screenshot(page, 'editor-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await bg();
    await screenshot(page, 'editor-dark');
    expect(light).not.toBe(dark);
    // Dark means a dark background: its luminance is low.
    const [r, g, b] = dark.match(/\d+/g)!.map(Number);
    expect(r! + g! + b!).toBeLessThan(150);
    expect(errors).toEqual([]);
  });
});
