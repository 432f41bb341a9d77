/** The selected node's parameters as a form generated from its schema, validated as you type. */
import { useEffect, useState } from 'react';
import type { ParamValue } from '../../contracts/index.js';
import { paramValue, type BlockDef, type NodeReport } from '../../contracts/index.js';
import { getLayer } from '../../graph-compiler/index.js';
import { blockOf } from '../canvas/toFlow.js';
import { outputsOf, renameProblem } from '../document/commands.js';
import { formatCount, formatExact, formatShape } from '../format.js';
import { useEditor } from '../state/editorStore.js';
import { fieldsOf, parseField, showField, type Field } from './schemaFields.js';

export function Inspector() {
  const selection = useEditor((s) => s.selection);
  const doc = useEditor((s) => s.view);
  const report = useEditor((s) => s.viewReport);
  const nodeReports = useEditor((s) => s.viewReports);
  const scope = useEditor((s) => s.scope);
  const node = selection.length === 1 ? doc.nodes.find((n) => n.id === selection[0]) : undefined;
  if (!node)
    return (
      <section className="panel inspector" data-testid="inspector">
        <h2>Inspector</h2>
        <p className="hint">{selection.length > 1 ? `${selection.length} nodes selected.` : 'Select a node to edit its parameters.'}</p>
      </section>
    );
  const def = getLayer(node.type);
  const block = def ? undefined : blockOf(doc, node.type);
  const fields = def ? fieldsOf(def.params) : block ? blockFields(block) : [];
  const r = nodeReports.find((n) => n.id === node.id);
  const problems = report.diagnostics.filter((d) => d.nodeIds.includes(node.id));
  const shapeOf = new Map(nodeReports.map((n) => [n.id, n.outputShape]));
  const inputs = doc.edges
    .filter((e) => e.target === node.id)
    .sort((a, b) => (a.targetPort ?? 0) - (b.targetPort ?? 0))
    .map((e) => shapeOf.get(e.source) ?? null);
  return (
    <section className="panel inspector" data-testid="inspector" data-node={node.id}>
      <h2>
        {node.type} <span className="muted">{node.id}</span>
      </h2>
      <IdField key={node.id} id={node.id} />
      <div className="param-form id-form">
        <div className="param">
          <label htmlFor="node-label">label</label>
          <input
            id="node-label"
            value={node.label ?? ''}
            placeholder="shown instead of the id"
            onChange={(e) => useEditor.getState().run({ type: 'setLabel', nodeId: node.id, label: e.target.value || undefined }, `label:${node.id}`)}
            data-testid="inspector-label"
          />
        </div>
      </div>
      <label className="output-toggle">
        <input
          type="checkbox"
          checked={outputsOf(doc).includes(node.id)}
          onChange={(e) => {
            const current = outputsOf(doc).filter((o) => o !== node.id);
            const outputs = e.target.checked ? [...current, node.id] : current;
            useEditor.getState().run({ type: 'setOutputs', outputs });
          }}
          data-testid="inspector-output"
        />
        {scope ? `Output of block ${scope}` : `Model output${doc.outputs?.length ? '' : ' (now: every node nothing consumes)'}`}
      </label>
      {def || block ? (
        <p className="doc" data-testid="inspector-doc">
          {def?.doc ?? block?.description ?? `Block of ${block!.nodes.length} layers defined in this document.`}
        </p>
      ) : (
        <p className="error-text">Unknown layer type “{node.type}”: pick a type from the palette.</p>
      )}
      <dl className="figures compact four">
        <div>
          <dt>Input</dt>
          <dd data-testid="inspector-input">{inputs.length ? inputs.map(formatShape).join(', ') : '–'}</dd>
        </div>
        <div>
          <dt>Output</dt>
          <dd data-testid="inspector-shape">{formatShape(r?.outputShape)}</dd>
        </div>
        <div>
          <dt>Params</dt>
          <dd title={formatExact(r?.params ?? 0)}>{formatCount(r?.params ?? 0)}</dd>
        </div>
        <div>
          <dt>FLOPs</dt>
          <dd title={formatExact(r?.flops ?? 0)}>{formatCount(r?.flops ?? 0)}</dd>
        </div>
      </dl>
      {fields.length > 0 && (
        <div className="param-form">
          {fields.map((f) => (
            <ParamField key={`${node.id}/${f.key}`} nodeId={node.id} field={f} value={node.params?.[f.key]} />
          ))}
        </div>
      )}
      {block && (
        <button className="edit-block" onClick={() => useEditor.getState().openBlock(node.type)} data-testid="edit-block">
          Edit block {node.type}
        </button>
      )}
      {block && <BlockContents reports={nodeReports.filter((n) => n.id.startsWith(`${node.id}/`))} prefix={`${node.id}/`} />}
      {problems.map((d, i) => (
        <p key={i} className={d.severity === 'error' ? 'error-text' : 'warning-text'}>
          {d.message}
        </p>
      ))}
    </section>
  );
}

/** The layers a block instance expands to, with the shapes they get in this instance. */
function BlockContents({ reports, prefix }: { reports: readonly NodeReport[]; prefix: string }) {
  if (!reports.length) return null;
  return (
    <div className="block-contents" data-testid="block-contents">
      <h3>Inside this block</h3>
      <table>
        <tbody>
          {reports.map((r) => (
            <tr key={r.id}>
              <td className="mono">{r.id.slice(prefix.length)}</td>
              <td>{r.type}</td>
              <td className="mono">{formatShape(r.outputShape)}</td>
              <td className="mono num" title={`${formatExact(r.params)} parameters`}>
                {r.params ? formatCount(r.params) : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The node's id, renamed on Enter or when the field loses focus; checked as you type. */
function IdField({ id }: { id: string }) {
  const [text, setText] = useState(id);
  const doc = useEditor((s) => s.view);
  const problem = text === id ? null : renameProblem(doc, id, text);
  const commit = () => {
    if (text === id) return;
    if (problem) {
      setText(id);
      return;
    }
    const { run, select } = useEditor.getState();
    run({ type: 'rename', from: id, to: text });
    select([text]);
  };
  return (
    <div className="param-form id-form">
      <div className={`param${problem ? ' invalid' : ''}`}>
        <label htmlFor="node-id">id</label>
        <input
          id="node-id"
          value={text}
          spellCheck={false}
          aria-invalid={problem ? true : undefined}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setText(id);
          }}
          data-testid="inspector-id"
        />
        {problem && (
          <span className="param-error" data-testid="inspector-id-error">
            {problem}
          </span>
        )}
      </div>
    </div>
  );
}

function ParamField({ nodeId, field, value }: { nodeId: string; field: Field; value: ParamValue | undefined }) {
  const run = useEditor((s) => s.run);
  const [text, setText] = useState(showField(value, field.type.kind));
  const [error, setError] = useState<string | null>(null);
  // Undo, redo or a quick fix can change the value under the form.
  useEffect(() => {
    setText(showField(value, field.type.kind));
    setError(null);
  }, [value, field.type.kind]);

  const commit = (t: string) => {
    setText(t);
    const r = parseField(field, t, useEditor.getState().scope !== null);
    if (!r.ok) {
      setError(r.message);
      return;
    }
    setError(null);
    run({ type: 'setParam', nodeId, key: field.key, value: r.value }, `param:${nodeId}:${field.key}`);
  };

  const id = `param-${field.key}`;
  const placeholder = field.defaultValue === undefined ? (field.required ? 'required' : 'optional') : `default ${showField(field.defaultValue, field.type.kind)}`;
  let input;
  switch (field.type.kind) {
    case 'enum':
      input = (
        <select id={id} value={text} onChange={(e) => commit(e.target.value)} data-testid={id}>
          <option value="">{field.required ? 'choose…' : placeholder}</option>
          {field.type.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case 'boolean': {
      const checked = value === undefined ? field.defaultValue === true : value === true;
      input = <input id={id} type="checkbox" checked={checked} onChange={(e) => commit(String(e.target.checked))} data-testid={id} />;
      break;
    }
    default:
      input = (
        <input
          id={id}
          value={text}
          placeholder={placeholder}
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          onChange={(e) => commit(e.target.value)}
          data-testid={id}
        />
      );
  }
  return (
    <div className={`param${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{field.key}</label>
      {input}
      {error && (
        <span className="param-error" data-testid={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** A block's parameters have no schema beyond "a parameter value"; each defaults to the block's own value. */
function blockFields(block: BlockDef): Field[] {
  return Object.entries(block.params ?? {}).map(([key, v]) => ({ key, required: false, defaultValue: v, type: { kind: 'json' }, schema: paramValue }));
}
