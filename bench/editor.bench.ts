/**
 * Editor speed in Chromium on a 500-node graph (needs `npm run build` and /usr/bin/chromium):
 * - frame time while dragging a node with the mouse (rAF intervals measured inside the page,
 *   plus long tasks), goal 60 fps;
 * - edit → labels: from the inspector's input event (Dense units) to the moment the downstream
 *   edge label shows the new shape (MutationObserver), and to the next frame after it; goal < 16 ms.
 * `--trace` also records a Chromium performance trace of one drag and one edit under out/.
 * Prints a human summary on stderr and one JSON object on the last stdout line.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { GraphDocument } from '../contracts/index.js';
import { compile, serializeDocument } from '../graph-compiler/index.js';
import { launchBrowser, repoRoot, startServer, watchErrors } from '../test/e2e/harness.js';
import { editorGraph, PROBE, PROBE_NEXT, DRAGGED } from './editorGraph.js';

const NODES = 500;
const DRAG_STEPS = 240;
const EDITS = 30;
const AUTOSAVE_KEY = 'layerlab.autosave.v1';
const TRACE = process.argv.includes('--trace');

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Opens the document the way a reload does: the autosave slot in localStorage, read at startup. */
async function loadDocument(page: Page, url: string, doc: GraphDocument): Promise<number> {
  // tsx compiles the functions passed to page.evaluate with esbuild's keepNames, which wraps
  // named inner functions in a `__name(...)` helper the page does not have.
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.addInitScript(
    ([key, text]) => {
      // Only on the first load: the app's own autosave takes over afterwards.
      if (!sessionStorage.getItem('bench-loaded')) {
        localStorage.setItem(key!, text!);
        sessionStorage.setItem('bench-loaded', '1');
      }
    },
    [AUTOSAVE_KEY, serializeDocument(doc)],
  );
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector(`[data-testid=edge-label-${PROBE}-${PROBE_NEXT}]`, { timeout: 60_000 });
  const count = await page.locator('.react-flow__node').count();
  if (count !== NODES) throw new Error(`the page shows ${count} nodes, expected ${NODES}: the document did not load`);
  // Let the opening fitView/setViewport and React Flow's measuring pass settle.
  await page.waitForTimeout(1500);
  return Date.now() - t0;
}

interface DragResult {
  readonly frames: number[];
  readonly longTasks: number[];
  readonly moves: number;
  readonly wallMs: number;
  readonly moved: boolean;
}

/** Drags node DRAGGED around a circle in small steps while the page records frame intervals. */
async function drag(page: Page): Promise<DragResult> {
  const head = page.locator(`[data-testid=node-${DRAGGED}] .layer-node-head`);
  const before = (await head.boundingBox())!;
  if (!before) throw new Error(`node ${DRAGGED} is not on screen`);
  const cx = before.x + before.width / 2;
  const cy = before.y + before.height / 2;
  await page.evaluate(() => {
    const w = window as unknown as { __bench: { frames: number[]; longTasks: number[]; stop: boolean; obs?: PerformanceObserver } };
    w.__bench = { frames: [], longTasks: [], stop: false };
    let last = -1;
    const tick = (t: number) => {
      if (last >= 0) w.__bench.frames.push(t - last);
      last = t;
      if (!w.__bench.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    try {
      w.__bench.obs = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__bench.longTasks.push(e.duration);
      });
      w.__bench.obs.observe({ type: 'longtask' });
    } catch {
      // No long-task timing: frames alone still tell the story.
    }
  });
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  const t0 = Date.now();
  // A circle of radius 120 px, in DRAG_STEPS moves of ~3 px (several per frame at most).
  const R = 120;
  for (let i = 1; i <= DRAG_STEPS; i++) {
    const a = (2 * Math.PI * i) / DRAG_STEPS;
    await page.mouse.move(cx + R * Math.sin(a), cy + (R / 2) * (1 - Math.cos(a)));
  }
  const wallMs = Date.now() - t0;
  // Leave it somewhere else than it started, so the drop is a real move command.
  await page.mouse.move(cx + 60, cy + 10, { steps: 4 });
  const after = (await head.boundingBox())!;
  await page.mouse.up();
  const result = await page.evaluate(() => {
    const w = window as unknown as { __bench: { frames: number[]; longTasks: number[]; stop: boolean; obs?: PerformanceObserver } };
    w.__bench.stop = true;
    w.__bench.obs?.disconnect();
    return { frames: w.__bench.frames, longTasks: w.__bench.longTasks };
  });
  const moved = Math.abs(after.x - before.x) > 20;
  return { ...result, moves: DRAG_STEPS, wallMs, moved };
}

interface EditTiming {
  readonly toLabel: number;
  readonly toFrame: number;
}

/** Selects the probe node and types new `units` into the inspector EDITS times; times input → label. */
async function edits(page: Page): Promise<EditTiming[]> {
  await page.locator(`[data-testid=node-${PROBE}] .layer-node-head`).click();
  await page.waitForSelector(`[data-testid=inspector][data-node=${PROBE}]`);
  const input = page.locator('[data-testid=param-units]');
  await input.waitFor();
  const out: EditTiming[] = [];
  for (let i = 0; i < EDITS + 3; i++) {
    const units = 33 + i;
    const sel = `[data-testid=edge-label-${PROBE}-${PROBE_NEXT}]`;
    // Armed before typing: the capture listener stamps the input event, the observer the label change.
    await page.evaluate(
      ([sel, want]) => {
        const w = window as unknown as { __edit: Promise<{ toLabel: number; toFrame: number } | null> };
        w.__edit = new Promise((resolve) => {
          let t0 = -1;
          const onInput = () => {
            if (t0 < 0) t0 = performance.now();
          };
          document.addEventListener('input', onInput, true);
          const canvas = document.querySelector('[data-testid=canvas]')!;
          const done = (v: { toLabel: number; toFrame: number } | null) => {
            mo.disconnect();
            document.removeEventListener('input', onInput, true);
            clearTimeout(timer);
            resolve(v);
          };
          const mo = new MutationObserver(() => {
            if (t0 < 0 || document.querySelector(sel!)?.textContent !== want) return;
            const t1 = performance.now();
            mo.disconnect();
            requestAnimationFrame(() => done({ toLabel: t1 - t0, toFrame: performance.now() - t0 }));
          });
          mo.observe(canvas, { subtree: true, childList: true, characterData: true });
          const timer = setTimeout(() => done(null), 10_000);
        });
      },
      [sel, String(units)],
    );
    await input.fill(String(units));
    const r = await page.evaluate(() => (window as unknown as { __edit: Promise<EditTiming | null> }).__edit);
    if (!r) throw new Error(`edit ${i}: the label ${PROBE}→${PROBE_NEXT} never showed ${units} (it reads ${await page.textContent(sel)})`);
    if (i >= 3) out.push(r); // the first edits warm up the JIT
    await page.waitForTimeout(50);
  }
  return out;
}

async function main() {
  const doc = editorGraph(NODES);
  const check = compile(doc);
  if (!check.report.valid || check.report.nodes.length !== NODES)
    throw new Error(`bench graph is not a valid ${NODES}-node graph: ${check.report.diagnostics.map((d) => d.message).join('; ')}`);

  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const loadMs = await loadDocument(page, server.url, doc);

    if (TRACE) await context.tracing.start({ screenshots: false, snapshots: false });
    const d = await drag(page);
    if (!d.moved) throw new Error(`dragging node ${DRAGGED} did not move it`);
    if (d.frames.length < 10) throw new Error(`only ${d.frames.length} animation frames during the drag: is the page rendering?`);
    const e = await edits(page);
    if (TRACE) {
      mkdirSync(path.join(repoRoot, 'out'), { recursive: true });
      const file = path.join(repoRoot, 'out/editor-bench-trace.zip');
      await context.tracing.stop({ path: file });
      process.stderr.write(`trace: ${file}\n`);
    }
    if (errors.length) process.stderr.write(`page errors:\n  ${errors.join('\n  ')}\n`);

    const frameMedian = quantile(d.frames, 0.5);
    const frameP95 = quantile(d.frames, 0.95);
    const meanFrame = d.frames.reduce((a, b) => a + b, 0) / d.frames.length;
    const result = {
      name: 'editor',
      nodes: NODES,
      loadMs,
      dragMoves: d.moves,
      dragFrames: d.frames.length,
      dragFrameMsMedian: r2(frameMedian),
      dragFrameMsP95: r2(frameP95),
      dragFrameMsMax: r2(Math.max(...d.frames)),
      dragFps: r2(1000 / meanFrame),
      dragMoveMs: r2(d.wallMs / d.moves),
      dragLongTasks: d.longTasks.length,
      dragLongTaskMs: r2(d.longTasks.reduce((a, b) => a + b, 0)),
      edits: e.length,
      editToLabelsMsMedian: r2(quantile(e.map((x) => x.toLabel), 0.5)),
      editToLabelsMsP95: r2(quantile(e.map((x) => x.toLabel), 0.95)),
      editToFrameMsMedian: r2(quantile(e.map((x) => x.toFrame), 0.5)),
      editToFrameMsP95: r2(quantile(e.map((x) => x.toFrame), 0.95)),
      goalFps: 60,
      goalEditMs: 16,
    };
    process.stderr.write(
      `editor, ${NODES} nodes (loaded in ${loadMs} ms)\n` +
        `  drag: ${d.frames.length} frames over ${d.moves} mouse moves (${result.dragMoveMs} ms per move): frame median ${result.dragFrameMsMedian} ms, ` +
        `p95 ${result.dragFrameMsP95} ms, max ${result.dragFrameMsMax} ms → ${result.dragFps} fps (goal 60); long tasks ${d.longTasks.length}, ${result.dragLongTaskMs} ms\n` +
        `  edit → labels (${e.length} edits of Dense units in the inspector): DOM median ${result.editToLabelsMsMedian} ms, p95 ${result.editToLabelsMsP95} ms; ` +
        `next frame median ${result.editToFrameMsMedian} ms, p95 ${result.editToFrameMsP95} ms (goal < 16 ms)\n`,
    );
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
