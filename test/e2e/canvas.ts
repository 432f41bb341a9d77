/** Canvas helpers shared by the editor e2e tests: read edge labels, scroll, drag, check overlaps. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Helpers bound to the page a test file creates in beforeAll (hence a getter). */
export function canvasHelpers(page: () => Page) {
  /** The text of the shape label on edge s → t. */
  const label = (s: string, t: string) => page().textContent(`[data-testid=edge-label-${s}-${t}]`);

  /** Waits (React renders edges a frame later) until the edge label reads `text`, then checks it. */
  async function expectLabel(s: string, t: string, text: string) {
    await page()
      .waitForFunction(([sel, want]) => document.querySelector(sel!)?.textContent === want, [`[data-testid=edge-label-${s}-${t}]`, text], { timeout: 5000 })
      .catch(() => undefined);
    expect(await label(s, t), `${s}→${t}`).toBe(text);
  }

  /** No two nodes on the canvas cover each other. */
  async function expectNoOverlaps() {
    const boxes = await page().$$eval('.react-flow__node', (els) =>
      els.map((e) => ({ id: e.getAttribute('data-id'), ...(e.getBoundingClientRect().toJSON() as DOMRect) })),
    );
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        expect(a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom, `${a.id} and ${b.id} overlap`).toBe(false);
      }
  }

  /** Scrolls the canvas (the wheel pans) until node `id` is inside it. */
  async function scrollTo(id: string) {
    const p = page();
    const canvas = (await p.locator('[data-testid=canvas]').boundingBox())!;
    for (let i = 0; i < 20; i++) {
      const b = (await p.getByTestId(`node-${id}`).boundingBox())!;
      const cy = b.y + b.height / 2;
      if (cy > canvas.y + 40 && cy < canvas.y + canvas.height - 40) return;
      await p.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
      await p.mouse.wheel(0, cy > canvas.y + canvas.height / 2 ? 150 : -150);
      await p.waitForTimeout(50);
    }
    throw new Error(`could not scroll node ${id} into view`);
  }

  /** Ids of the nodes on the canvas, sorted. */
  const nodeIds = () => page().$$eval('.react-flow__node', (els) => els.map((e) => e.getAttribute('data-id')).sort());

  /** Opens LeNet fresh (via another template, so it reloads even when it is already open). */
  async function openLenet() {
    const p = page();
    await p.selectOption('[data-testid=template-picker]', 'mlp');
    await p.selectOption('[data-testid=template-picker]', 'lenet');
    await p.waitForSelector('[data-testid=edge-label-conv1-pool1]');
    await p.waitForTimeout(100);
  }

  /** Drags from one element's centre to another's (or to a point) with real mouse events, as a user would. */
  async function mouseDrag(from: string, to: string | { x: number; y: number }) {
    const p = page();
    const a = (await p.locator(from).boundingBox())!;
    const b = typeof to === 'string' ? (await p.locator(to).boundingBox())! : { ...to, width: 0, height: 0 };
    await p.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await p.mouse.down();
    await p.mouse.move(a.x + a.width / 2 + 5, a.y + a.height / 2 + 5, { steps: 3 });
    await p.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
    await p.mouse.up();
  }

  return { label, expectLabel, expectNoOverlaps, scrollTo, nodeIds, openLenet, mouseDrag };
}
