/**
 * Compile speed on a 1,000-node graph: a full compile, and the re-check after an edit that
 * changes one node's params (what the editor runs on every keystroke in the inspector).
 * Prints a human line on stderr and one JSON object on the last stdout line.
 */
import { performance } from 'node:perf_hooks';
import type { GraphDocument } from '../contracts/index.js';
import { compile } from '../graph-compiler/index.js';

const NODES = 1000;
const WARMUP = 20;
const RUNS = 200;

/** Residual-style stack: conv → BN → relu → conv → BN, added to the stage input, 6 nodes per unit. */
function graph(size: number): GraphDocument {
  const nodes: GraphDocument['nodes'] = [{ id: 'input', type: 'Input', params: { shape: [32, 32, 16] }, position: { x: 0, y: 0 } }];
  const edges: GraphDocument['edges'] = [];
  let prev = 'input';
  let y = 0;
  const add = (id: string, type: string, params: Record<string, unknown>, from: string[]) => {
    nodes.push({ id, type, params: params as never, position: { x: 0, y: (y += 100) } });
    from.forEach((source, targetPort) => edges.push(from.length > 1 ? { source, target: id, targetPort } : { source, target: id }));
    return id;
  };
  for (let u = 0; nodes.length + 6 <= size - 3; u++) {
    const a = add(`u${u}_conv1`, 'Conv2D', { filters: 16, kernelSize: 3, padding: 'same' }, [prev]);
    const b = add(`u${u}_bn1`, 'BatchNormalization', {}, [a]);
    const c = add(`u${u}_relu`, 'Activation', { activation: 'relu' }, [b]);
    const d = add(`u${u}_conv2`, 'Conv2D', { filters: 16, kernelSize: 3, padding: 'same' }, [c]);
    const e = add(`u${u}_bn2`, 'BatchNormalization', {}, [d]);
    prev = add(`u${u}_add`, 'Add', {}, [e, prev]);
  }
  while (nodes.length < size - 2) prev = add(`pad${nodes.length}`, 'Activation', { activation: 'relu' }, [prev]);
  prev = add('gap', 'GlobalAveragePooling2D', {}, [prev]);
  add('logits', 'Dense', { units: 10 }, [prev]);
  return { format: 'layerlab-graph', version: 1, name: 'bench-1000', nodes, edges, outputs: ['logits'] } as GraphDocument;
}

/** The next document after the user sets one node's param, as the editor's command would produce it. */
function edit(doc: GraphDocument, i: number): GraphDocument {
  const id = `u${i % 100}_conv1`;
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? { ...n, params: { ...n.params, kernelSize: i % 2 ? 5 : 3 } } : n)) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Wall and CPU milliseconds of each run of `run`; `prepare` builds each run's input outside
 * the timed region. CPU time is reported too because wall time on a shared, loaded machine
 * mostly measures the other processes.
 */
function time<T>(prepare: (i: number) => T, run: (input: T) => void): { wall: number[]; cpu: number[] } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const input = prepare(i);
    const c = process.cpuUsage();
    const t = performance.now();
    run(input);
    const dt = performance.now() - t;
    const dc = process.cpuUsage(c);
    if (i < WARMUP) continue;
    wall.push(dt);
    cpu.push((dc.user + dc.system) / 1000);
  }
  return { wall, cpu };
}

const doc = graph(NODES);
const first = compile(doc);
if (!first.report.valid || first.report.nodes.length !== NODES) throw new Error(`bench graph is not a valid ${NODES}-node graph`);

// Cold: a freshly loaded copy of the document each time, so nothing is memoised.
const full = time(() => structuredClone(doc), (d) => compile(d));
// Warm: the editor's next document shares every untouched node with the one compiled before it.
let current = doc;
compile(current);
const recheck = time(
  (i) => (current = edit(current, i)),
  (d) => compile(d),
);

const result = {
  bench: 'compile',
  nodes: NODES,
  runs: RUNS,
  fullCompileMs: +median(full.wall).toFixed(3),
  recheckAfterEditMs: +median(recheck.wall).toFixed(3),
  fullCompileCpuMs: +median(full.cpu).toFixed(3),
  recheckAfterEditCpuMs: +median(recheck.cpu).toFixed(3),
  goalMs: 5,
};
process.stderr.write(
  `compile ${NODES} nodes: full ${result.fullCompileMs} ms (CPU ${result.fullCompileCpuMs} ms), ` +
    `re-check after a param edit ${result.recheckAfterEditMs} ms (CPU ${result.recheckAfterEditCpuMs} ms); median of ${RUNS}, goal < ${result.goalMs} ms\n`,
);
console.log(JSON.stringify(result));
