/**
 * Editor speed in Chromium on a 500-node graph (needs `npm run build` and /usr/bin/chromium):
 * - frame time while dragging a node with the mouse (rAF intervals measured inside the page,
 *   plus long tasks), goal 60 fps;
 * - edit → labels: from the inspector's input event (Dense units) to the moment the downstream
 *   edge label shows the new shape (MutationObserver), and to the next frame after it; goal < 16 ms.
 * `--trace` also records a Chromium performance trace of the drag and the edits under out/.
 * `--profile` samples the page's CPU during the drag and during the edits and prints where the
 * time goes; `--renderer=<dir>` serves the UI from another build (e.g. an unminified one:
 * `npx vite build --config renderer/vite.config.ts --minify false --outDir /tmp/ui`) so the
 * profile shows real function names.
 * Prints a human summary on stderr and one JSON object on the last stdout line.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import type { GraphDocument } from '../contracts/index.js';
import { compile, serializeDocument } from '../graph-compiler/index.js';
import { launchBrowser, repoRoot, screenshot, startServer, watchErrors } from '../test/e2e/harness.js';
import { editorGraph, PROBE, PROBE_NEXT, DRAGGED } from './editorGraph.js';

const NODES = 500;
const DRAG_STEPS = 240;
const EDITS = 30;
const AUTOSAVE_KEY = 'layerlab.autosave.v1';
const TRACE = process.argv.includes('--trace');
const PROFILE = process.argv.includes('--profile');
const RENDERER = process.argv.find((a) => a.startsWith('--renderer='))?.slice('--renderer='.length);

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
  // The minimap draws every node even where the canvas renders only the visible ones.
  const count = Math.max(await page.locator('.react-flow__node').count(), await page.locator('.react-flow__minimap-node').count());
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
  // An ellipse 240 × 60 px (up from the node, clear of the canvas edge where React Flow would
  // auto-pan), in DRAG_STEPS moves of ~2-3 px.
  const R = 120;
  for (let i = 1; i <= DRAG_STEPS; i++) {
    const a = (2 * Math.PI * i) / DRAG_STEPS;
    await page.mouse.move(cx + R * Math.sin(a), cy - (R / 4) * (1 - Math.cos(a)));
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

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

/** Runs `body` under the V8 sampling profiler and prints the functions with the most self time. */
async function profiled<T>(cdp: CDPSession | null, label: string, body: () => Promise<T>): Promise<T> {
  if (!cdp) return body();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const result = await body();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const busy = [...self.entries()].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)'));
  const top = busy.sort((a, b) => b[1] - a[1]).slice(0, 25);
  process.stderr.write(`profile, ${label}: ${total.toFixed(0)} ms sampled, busy ${busy.reduce((a, [, v]) => a + v, 0).toFixed(0)} ms; top self time:\n`);
  for (const [k, v] of top) process.stderr.write(`  ${v.toFixed(1).padStart(8)} ms  ${k}\n`);
  // Inclusive time of the named functions (a function counts once per sample however deep it recurses).
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total2 = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const f = byNode.get(n)!.callFrame;
      if (f.functionName) seen.add(`${f.functionName} ${path.basename(f.url)}:${f.lineNumber + 1}`);
    }
    for (const k of seen) total2.set(k, (total2.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const named = [...total2.entries()].filter(([k]) => !/^\(|^(evaluate|query|step|run|runTask|performWorkUntilDeadline|flushActQueue) /.test(k));
  process.stderr.write(`  top inclusive time:\n`);
  const focus = /^(derive|compile|partialReports|toFlowNodes|toFlowEdges|reuseNodes|reuseEdges|inputNames|Inspector|LayerNodeView|ShapeEdgeView|adoptUserNodes|updateAbsolutePositions|MiniMapNodes|setNodes|setEdges|setState|updateNodeInternals) /;
  for (const [k, v] of named.filter(([k]) => focus.test(k)).sort((a, b) => b[1] - a[1])) process.stderr.write(`  ${v.toFixed(1).padStart(8)} ms  ${k} (app)\n`);
  for (const [k, v] of named.sort((a, b) => b[1] - a[1]).slice(0, 40)) process.stderr.write(`  ${v.toFixed(1).padStart(8)} ms  ${k}\n`);
  return result;
}

/**
 * Serves the JS and CSS from `dir` in place of the server's build (by kind: index-*.js, index-*.css,
 * elk*.js). The page itself still comes from the server: a page answered by route.fulfill counts as
 * a public origin and Chromium then blocks its WebSocket to localhost.
 */
async function serveRendererFrom(page: Page, dir: string): Promise<void> {
  const assets = readdirSync(path.join(dir, 'assets'));
  await page.route(/\/assets\/[^/]+\.(js|css)$/, async (route) => {
    const name = path.basename(new URL(route.request().url()).pathname);
    const kind = (f: string) => `${f.split(/[-.]/)[0]}.${f.split('.').at(-1)}`;
    const local = assets.find((f) => kind(f) === kind(name));
    if (!local) return route.continue();
    await route.fulfill({ body: readFileSync(path.join(dir, 'assets', local)), contentType: name.endsWith('.js') ? 'text/javascript' : 'text/css' });
  });
}

/** Main-thread time the page spent in tasks and in script so far (ms), from Chromium's metrics. */
async function pageBusy(cdp: CDPSession): Promise<{ task: number; script: number; layout: number }> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { task: get('TaskDuration'), script: get('ScriptDuration'), layout: get('LayoutDuration') + get('RecalcStyleDuration') };
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
    if (RENDERER) await serveRendererFrom(page, path.resolve(RENDERER));
    const cdp = PROFILE ? await context.newCDPSession(page) : null;
    // Main-thread busy time is less at the mercy of other processes than frame intervals are.
    const metrics = await context.newCDPSession(page);
    await metrics.send('Performance.enable');
    const loadMs = await loadDocument(page, server.url, doc).catch(async (e: unknown) => {
      process.stderr.write(`screenshot: ${await screenshot(page, 'editor-bench-failure')}\n`);
      throw e;
    });

    if (TRACE) await context.tracing.start({ screenshots: false, snapshots: false });
    // What the bench sees (test-results/, ignored by git): worth a look when the figures surprise.
    await screenshot(page, 'editor-bench-loaded');
    const measure = async () => {
      const b0 = await pageBusy(metrics);
      const d = await profiled(cdp, 'drag', () => drag(page));
      if (!d.moved) throw new Error(`dragging node ${DRAGGED} did not move it`);
      if (d.frames.length < 10) throw new Error(`only ${d.frames.length} animation frames during the drag: is the page rendering?`);
      const b1 = await pageBusy(metrics);
      const e = await profiled(cdp, 'edits', () => edits(page));
      const b2 = await pageBusy(metrics);
      // Per drag move (the few setup moves included) and per edit (warm-up edits included, hence EDITS + 3).
      const busy = { dragTask: (b1.task - b0.task) / DRAG_STEPS, dragScript: (b1.script - b0.script) / DRAG_STEPS, dragLayout: (b1.layout - b0.layout) / DRAG_STEPS, editTask: (b2.task - b1.task) / (EDITS + 3), editScript: (b2.script - b1.script) / (EDITS + 3) };
      return { d, e, busy };
    };
    const { d, e, busy } = await measure().catch(async (err: unknown) => {
      process.stderr.write(`screenshot: ${await screenshot(page, 'editor-bench-failure')}\n`);
      throw err;
    });
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
      dragMainThreadMsPerMove: r2(busy.dragTask),
      dragScriptMsPerMove: r2(busy.dragScript),
      dragStyleLayoutMsPerMove: r2(busy.dragLayout),
      dragLongTasks: d.longTasks.length,
      dragLongTaskMs: r2(d.longTasks.reduce((a, b) => a + b, 0)),
      edits: e.length,
      editToLabelsMsMedian: r2(quantile(e.map((x) => x.toLabel), 0.5)),
      editToLabelsMsP95: r2(quantile(e.map((x) => x.toLabel), 0.95)),
      editToFrameMsMedian: r2(quantile(e.map((x) => x.toFrame), 0.5)),
      editToFrameMsP95: r2(quantile(e.map((x) => x.toFrame), 0.95)),
      editMainThreadMs: r2(busy.editTask),
      editScriptMs: r2(busy.editScript),
      goalFps: 60,
      goalEditMs: 16,
    };
    process.stderr.write(
      `editor, ${NODES} nodes (loaded in ${loadMs} ms)\n` +
        `  drag: ${d.frames.length} frames over ${d.moves} mouse moves (${result.dragMoveMs} ms per move): frame median ${result.dragFrameMsMedian} ms, ` +
        `p95 ${result.dragFrameMsP95} ms, max ${result.dragFrameMsMax} ms → ${result.dragFps} fps (goal 60); long tasks ${d.longTasks.length}, ${result.dragLongTaskMs} ms; ` +
        `main thread ${result.dragMainThreadMsPerMove} ms per move (script ${result.dragScriptMsPerMove}, style+layout ${result.dragStyleLayoutMsPerMove})\n` +
        `  edit → labels (${e.length} edits of Dense units in the inspector): DOM median ${result.editToLabelsMsMedian} ms, p95 ${result.editToLabelsMsP95} ms; ` +
        `next frame median ${result.editToFrameMsMedian} ms, p95 ${result.editToFrameMsP95} ms (goal < 16 ms); ` +
        `main thread ${result.editMainThreadMs} ms per edit (script ${result.editScriptMs}, Playwright's own checks included)\n`,
    );
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
