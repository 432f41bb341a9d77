/**
 * The editor in a real browser: palette, drag-and-drop, connecting ports, the inspector, problems,
 * undo/redo, copy/paste. Training is not needed here. (Layout, files and theme: files.test.ts.)
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { layers } from '../../graph-compiler/index.js';
import { canvasHelpers } from './canvas.js';
import { screenshot, useApp } from './harness.js';

const app = useApp({ acceptDownloads: true });
let page: Page;
let errors: string[];

const ui = canvasHelpers(() => page);

beforeAll(async () => {
  ({ page, errors } = app);
  await ui.openLenet();
});

describe('palette', () => {
  test('lists every layer of the registry, grouped by category', async () => {
    const items = await page.$$eval('[data-testid^=palette-item-]', (els) => els.map((e) => e.textContent));
    expect(items.sort()).toEqual([...layers.keys()].sort());
    for (const l of layers.values()) {
      const group = page.getByTestId(`palette-group-${l.category}`);
      expect(await group.getByTestId(`palette-item-${l.type}`).count(), l.type).toBe(1);
    }
  });

  test('"/" focuses the search, which filters by name and description', async () => {
    await page.click('[data-testid=canvas]', { position: { x: 20, y: 20 } });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('palette-search');
    await page.keyboard.type('pool');
    const shown = await page.$$eval('[data-testid^=palette-item-]', (els) => els.map((e) => e.textContent!));
    const expected = [...layers.values()].filter((l) => `${l.type} ${l.category} ${l.doc}`.toLowerCase().includes('pool')).map((l) => l.type);
    expect(shown.sort()).toEqual(expected.sort());
    expect(shown).toContain('MaxPooling2D');
    expect(shown).not.toContain('Dense');
    await page.keyboard.press('Escape');
    expect(await page.$$eval('[data-testid^=palette-item-]', (els) => els.length)).toBe(layers.size);
  });
});

describe('editing the graph', () => {
  test('a layer dragged from the palette lands on the canvas, and its error shows on the node', async () => {
    await ui.openLenet();
    const canvas = (await page.locator('[data-testid=canvas]').boundingBox())!;
    await page.dragAndDrop('[data-testid=palette-item-Dropout]', '[data-testid=canvas]', {
      targetPosition: { x: canvas.width / 2 + 260, y: canvas.height / 2 },
    });
    await page.waitForSelector('[data-testid=node-dropout1]');
    await expect.poll(() => page.getAttribute('[data-testid=node-dropout1]', 'data-severity')).toBe('error');
    await expect.poll(() => page.getAttribute('[data-testid=node-dropout1]', 'title')).toMatch(/dropout1: Dropout needs input/);
    expect(await page.$$eval('[data-testid=problem]', (els) => els.map((e) => e.getAttribute('data-code')))).toContain('E_MISSING_INPUT');
  });

  test('connecting a handle to a port adds an edge labelled with its shape', async () => {
    await ui.mouseDrag('[data-testid=handle-fc1-out]', '[data-testid=handle-dropout1-in-0]');
    await page.waitForSelector('[data-testid=edge-label-fc1-dropout1]');
    await ui.expectLabel('fc1', 'dropout1', '120');
    await expect.poll(() => page.getAttribute('[data-testid=node-dropout1]', 'data-severity')).not.toBe('error');
    await expect.poll(() => page.getByTestId('node-dropout1').getByTestId('node-shape').textContent()).toBe('120');
  });

  test('multi-input layers show one labelled handle per port', async () => {
    await page.fill('[data-testid=palette-search]', 'attention');
    await page.click('[data-testid=palette-item-MultiHeadAttention]');
    await page.fill('[data-testid=palette-search]', '');
    const mha = page.getByTestId('node-multiheadattention1');
    await mha.waitFor();
    expect(await mha.locator('.port-name').allTextContents()).toEqual(['query', 'value']);
    expect(await mha.locator('[data-testid^=handle-multiheadattention1-in-]').count()).toBe(2);
    await page.click('[data-testid=undo]');
    await expect.poll(() => page.locator('[data-testid=node-multiheadattention1]').count()).toBe(0);
  });

  test('undo and redo step through the edits', async () => {
    await page.click('[data-testid=undo]');
    await expect.poll(() => page.locator('[data-testid=edge-label-fc1-dropout1]').count()).toBe(0);
    await page.click('[data-testid=undo]');
    await expect.poll(() => page.locator('[data-testid=node-dropout1]').count()).toBe(0);
    await page.keyboard.press('Control+Shift+Z');
    await page.keyboard.press('Control+Shift+Z');
    await ui.expectLabel('fc1', 'dropout1', '120');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('[data-testid=edge-label-fc1-dropout1]').count()).toBe(0);
  });

  test('a layer dropped on an edge is spliced into it', async () => {
    await ui.openLenet();
    const canvas = (await page.locator('[data-testid=canvas]').boundingBox())!;
    const edge = (await page.getByTestId('edge-label-conv1-pool1').boundingBox())!;
    await page.dragAndDrop('[data-testid=palette-item-BatchNormalization]', '[data-testid=canvas]', {
      targetPosition: { x: edge.x + edge.width / 2 - canvas.x, y: edge.y + edge.height / 2 - canvas.y },
    });
    await ui.expectLabel('conv1', 'batchnormalization1', '28×28×6');
    await ui.expectLabel('batchnormalization1', 'pool1', '28×28×6');
    await ui.expectNoOverlaps();
    await page.click('[data-testid=undo]');
    await ui.expectLabel('conv1', 'pool1', '28×28×6');
  });

  test('a network built from scratch: New, then palette clicks add connected layers', async () => {
    await page.click('[data-testid=new-document]');
    await page.waitForSelector('[data-testid=canvas-hint]');
    await page.click('[data-testid=node-input]');
    await page.click('[data-testid=palette-item-Flatten]');
    await page.click('[data-testid=palette-item-Dense]');
    await ui.expectLabel('input', 'flatten1', '28×28×1');
    await ui.expectLabel('flatten1', 'dense1', '784');
    // 784·64 weights + 64 biases (Dense starts with 64 units).
    await expect.poll(() => page.getAttribute('[data-testid=status-params]', 'data-value')).toBe('50240');
    expect(await page.textContent('[data-testid=status-problems]')).toBe('No problems');
    await screenshot(page, 'editor-from-scratch');
    await ui.openLenet();
  });

  test('the inspector edits parameters, validating as you type', async () => {
    await ui.openLenet();
    await page.click('[data-testid=node-conv1]');
    expect(await page.getAttribute('[data-testid=inspector]', 'data-node')).toBe('conv1');
    expect(await page.textContent('[data-testid=inspector-doc]')).toBe(layers.get('Conv2D')!.doc);
    await page.fill('[data-testid=param-filters]', '8');
    await ui.expectLabel('conv1', 'pool1', '28×28×8');
    await page.fill('[data-testid=param-filters]', '-3');
    expect(await page.textContent('[data-testid=param-filters-error]')).toMatch(/>\s*0|positive|greater/i);
    // An invalid value is not applied: the graph keeps the last valid one.
    await ui.expectLabel('conv1', 'pool1', '28×28×8');
    await page.selectOption('[data-testid=param-padding]', 'valid');
    await ui.expectLabel('conv1', 'pool1', '24×24×8');
    await page.fill('[data-testid=param-kernelSize]', '3, 5');
    await ui.expectLabel('conv1', 'pool1', '26×24×8');
  });

  test('renaming a node in the inspector keeps its edges', async () => {
    await page.click('[data-testid=node-conv1]');
    await page.fill('[data-testid=inspector-id]', 'conv2');
    expect(await page.textContent('[data-testid=inspector-id-error]')).toBe('conv2 is taken');
    await page.fill('[data-testid=inspector-id]', 'features');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=edge-label-features-pool1]');
    await ui.expectLabel('input', 'features', '28×28×1');
    expect(await page.getAttribute('[data-testid=inspector]', 'data-node')).toBe('features');
  });

  test('a label shows on the node instead of its id', async () => {
    await page.click('[data-testid=node-features]');
    await page.fill('[data-testid=inspector-label]', 'C1 (6 maps)');
    await expect.poll(() => page.getByTestId('node-features').getByTestId('node-id').textContent()).toBe('C1 (6 maps)');
  });

  test('the inspector marks a node as a model output', async () => {
    await ui.openLenet();
    expect(await page.locator('[data-testid=node-output]').count()).toBe(1);
    await expect.poll(() => page.getByTestId('node-logits').getByTestId('node-output').count()).toBe(1);
    await ui.scrollTo('fc2');
    await page.click('[data-testid=node-fc2]');
    await page.check('[data-testid=inspector-output]');
    await expect.poll(() => page.getByTestId('node-fc2').getByTestId('node-output').count()).toBe(1);
    expect(await page.textContent('[data-testid=status-bar]')).toContain('Output 10, 84');
    // Two outputs cannot train as one classifier: the Train panel says so and holds the button.
    expect(await page.textContent('[data-testid=train-preflight]')).toContain('2 outputs');
    expect(await page.isDisabled('[data-testid=train-start]')).toBe(true);
    await page.uncheck('[data-testid=inspector-output]');
    await expect.poll(() => page.locator('[data-testid=node-output]').count()).toBe(1);
  });

  test('deleting a node leaves a problem that selects its node when clicked', async () => {
    await ui.openLenet();
    await ui.scrollTo('fc2');
    await page.click('[data-testid=node-fc2]');
    await page.keyboard.press('Delete');
    await expect.poll(ui.nodeIds).not.toContain('fc2');
    const problem = page.locator('[data-testid=problem][data-code=E_MISSING_INPUT]');
    expect(await problem.textContent()).toContain('logits');
    // Scroll the broken node out of sight: clicking the problem brings it back to the middle.
    const canvas = (await page.locator('[data-testid=canvas]').boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -300);
    await problem.locator('.problem-text').click();
    expect(await page.getAttribute('[data-testid=inspector]', 'data-node')).toBe('logits');
    await expect.poll(() => page.getAttribute('[data-testid=node-logits]', 'data-severity')).toBe('error');
    await expect
      .poll(async () => {
        const b = (await page.getByTestId('node-logits').boundingBox())!;
        return Math.abs(b.y + b.height / 2 - (canvas.y + canvas.height / 2)) < 60;
      })
      .toBe(true);
  });

  test('a warning turns its node amber, and its quick fix applies in one click', async () => {
    await ui.openLenet();
    await ui.scrollTo('logits');
    await page.click('[data-testid=node-logits]');
    await page.selectOption('[data-testid=param-activation]', 'softmax');
    await expect.poll(() => page.getAttribute('[data-testid=node-logits]', 'data-severity')).toBe('warning');
    const problem = page.locator('[data-testid=problem][data-code=W_DOUBLE_SOFTMAX]');
    expect(await problem.getAttribute('class')).toContain('warning');
    await expect.poll(() => page.getAttribute('[data-testid=node-logits]', 'title')).toContain('softmax');
    await page.click('[data-testid=canvas]', { position: { x: 20, y: 20 } });
    await problem.locator('.problem-text').click();
    expect(await page.getAttribute('[data-testid=inspector]', 'data-node')).toBe('logits');
    await problem.getByTestId('quick-fix').click();
    await expect.poll(() => page.getAttribute('[data-testid=node-logits]', 'data-severity')).toBe('ok');
    expect(await page.inputValue('[data-testid=param-activation]')).toBe('linear');
    // The fix is one undoable step.
    await page.click('[data-testid=undo]');
    await expect.poll(() => page.getAttribute('[data-testid=node-logits]', 'data-severity')).toBe('warning');
  });

  test('a selected edge is deleted with the Delete key', async () => {
    await ui.openLenet();
    const edgeLabel = (await page.getByTestId('edge-label-conv1-pool1').boundingBox())!;
    // Click the edge's path just above its label.
    await page.mouse.click(edgeLabel.x + edgeLabel.width / 2, edgeLabel.y - 4);
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('[data-testid=edge-label-conv1-pool1]').count()).toBe(0);
    await expect.poll(() => page.getAttribute('[data-testid=node-pool1]', 'data-severity')).toBe('error');
    // The rest of the graph above the cut keeps its shapes.
    await ui.expectLabel('input', 'conv1', '28×28×1');
  });

  test('copy and paste duplicate the selected nodes with the edge between them', async () => {
    await ui.openLenet();
    await ui.scrollTo('fc2');
    await page.click('[data-testid=node-fc1]');
    await page.click('[data-testid=node-fc2]', { modifiers: ['Shift'] });
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page.waitForSelector('[data-testid=edge-label-dense1-dense2]');
    await expect.poll(() => page.getAttribute('[data-testid=node-dense1]', 'data-severity')).toBe('error');
    // One paste is one undo step.
    await page.click('[data-testid=undo]');
    await expect.poll(() => page.locator('[data-testid^=node-dense]').count()).toBe(0);
  });

  test('a quick fix that inserts a node makes room for it', async () => {
    await ui.openLenet();
    await ui.scrollTo('fc2');
    await page.click('[data-testid=node-fc2]');
    await page.selectOption('[data-testid=param-activation]', 'linear');
    const problem = page.locator('[data-testid=problem][data-code=W_LINEAR_COLLAPSE]');
    await problem.getByTestId('quick-fix').click();
    await page.waitForSelector('[data-testid=node-fc2_relu]');
    await ui.expectLabel('fc2', 'fc2_relu', '84');
    await ui.expectLabel('fc2_relu', 'logits', '84');
    expect(await page.locator('[data-testid=problem][data-code=W_LINEAR_COLLAPSE]').count()).toBe(0);
    await ui.expectNoOverlaps();
  });

  test('with a node of a chain selected, a palette click splices the new layer in after it', async () => {
    await ui.openLenet();
    await ui.scrollTo('fc1');
    await page.click('[data-testid=node-fc1]');
    await page.click('[data-testid=palette-item-Dropout]');
    await ui.expectLabel('fc1', 'dropout1', '120');
    await ui.expectLabel('dropout1', 'fc2', '120');
    expect(await page.locator('[data-testid=edge-label-fc1-fc2]').count()).toBe(0);
    expect(await page.getAttribute('[data-testid=inspector]', 'data-node')).toBe('dropout1');
    await ui.expectNoOverlaps();
  });

  test('a node can be moved, and undo puts it back', async () => {
    await ui.openLenet();
    await ui.scrollTo('fc1');
    const before = (await page.locator('[data-testid=node-fc1]').boundingBox())!;
    await ui.mouseDrag('[data-testid=node-fc1] .layer-node-head', { x: before.x + 300, y: before.y + before.height / 2 });
    await expect.poll(async () => (await page.locator('[data-testid=node-fc1]').boundingBox())!.x - before.x).toBeGreaterThan(200);
    expect(await page.isEnabled('[data-testid=undo]')).toBe(true);
    await page.click('[data-testid=undo]');
    await expect.poll(async () => Math.abs((await page.locator('[data-testid=node-fc1]').boundingBox())!.x - before.x)).toBeLessThan(2);
  });

  test('Ctrl+F finds a node and brings it to the middle of the canvas', async () => {
    await ui.openLenet();
    await page.click('[data-testid=canvas]', { position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+f');
    // Typed at once, as a user would: no key may be lost while the box opens.
    await page.keyboard.type('logits');
    expect(await page.inputValue('[data-testid=find-node]')).toBe('logits');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getAttribute('[data-testid=inspector]', 'data-node')).toBe('logits');
    const canvas = (await page.locator('[data-testid=canvas]').boundingBox())!;
    await expect
      .poll(async () => {
        const b = (await page.getByTestId('node-logits').boundingBox())!;
        return Math.abs(b.y + b.height / 2 - (canvas.y + canvas.height / 2)) < 60;
      })
      .toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-testid=find-node]').count()).toBe(0);
  });

  test('a block opens for editing; a change inside it reaches every instance, and undo takes it back', async () => {
    await page.selectOption('[data-testid=template-picker]', 'resnet18');
    await page.waitForSelector('[data-testid=node-b2_res1]');
    await page.click('[data-testid=node-b2_res1]');
    await page.click('[data-testid=edit-block]');
    await page.waitForSelector('[data-testid=block-bar]');
    // Inside, the layers show the shapes of the first instance.
    await ui.expectLabel('conv1', 'bn1', '24×24×64');
    await ui.expectLabel('x', 'conv1', '24×24×64');
    await page.click('[data-testid=node-conv2]');
    await page.fill('[data-testid=param-filters]', '32');
    await expect.poll(() => page.getAttribute('[data-testid=node-add]', 'data-severity')).toBe('error');
    await page.click('[data-testid=close-block]');
    await page.waitForSelector('[data-testid=node-b2_res1]');
    // The compiler stops at the first broken instance; the canvas marks that instance.
    await expect.poll(() => page.getAttribute('[data-testid=node-b2_res1]', 'data-severity')).toBe('error');
    await page.click('[data-testid=undo]');
    await expect.poll(() => page.getAttribute('[data-testid=node-b2_res1]', 'data-severity')).toBe('ok');
    await expect.poll(() => page.getAttribute('[data-testid=node-b2_res2]', 'data-severity')).toBe('ok');
    // Escape leaves an open block too.
    await page.click('[data-testid=node-b2_res1]');
    await page.click('[data-testid=edit-block]');
    await page.waitForSelector('[data-testid=block-bar]');
    await page.click('[data-testid=canvas]', { position: { x: 20, y: 200 } });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid=block-bar]').count()).toBe(0);
    await page.waitForSelector('[data-testid=node-b2_res1]');
  });

  test('no page or console errors along the way', () => {
    expect(errors).toEqual([]);
  });
});
