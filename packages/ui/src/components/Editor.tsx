import type { WorkflowDocument } from '@stepwise/core/model';
import type { Edge, ReactFlowInstance } from '@xyflow/react';
import { type ReactNode, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { StepShape } from '../api/types.js';
import type { StepFormContext } from '../forms/form-context.js';
import type { CatalogIndex } from '../graph/catalog.js';
import { inputsOf } from '../graph/document-graph.js';
import {
  appendStep,
  copySelection,
  duplicateSelection,
  type EditorAction,
  type EditorState,
  openDocument,
  pasteText,
  reduceEditor,
} from '../graph/editor-state.js';
import { type EditorIssue, type IssueLocation, issuesByStep } from '../graph/issues.js';
import { commandOf } from '../keyboard/shortcuts.js';
import type { RunView } from '../run/run-view.js';
import '@xyflow/react/dist/style.css';
import './editor.css';
import { Canvas } from './canvas/Canvas.js';
import type { StepFlowNode } from './canvas/StepNode.js';
import { Palette } from './palette/Palette.js';
import { IssuesPanel } from './panels/IssuesPanel.js';
import { ShortcutsHelp } from './panels/ShortcutsHelp.js';
import { type FieldFocus, StepPanel, type Validated } from './panels/StepPanel.js';

/** What the editor edits and shows; the container (the app) owns the server, the editor the edits. */
export interface EditorProps {
  catalog: CatalogIndex;
  /** The opened document; a new object starts a fresh history (another workflow, or a reload). */
  document: WorkflowDocument;
  /** Called with the document after every edit, undo and redo (for validation and the dirty mark). */
  onChange?: ((document: WorkflowDocument) => void) | undefined;
  validated?: Validated | undefined;
  /** Inferred output shapes by step id (from validation): feed the column pickers. */
  shapes?: Readonly<Record<string, StepShape>> | undefined;
  run?: RunView | undefined;
  /** The steps expected to run pushed down to DuckDB (from validation): marked on the canvas. */
  pushedDown?: ReadonlySet<string> | undefined;
  files?: readonly string[] | undefined;
  checkExpression?: ((expression: string) => Promise<string | undefined>) | undefined;
  /** The toolbar (save, run, cancel, import/export...). */
  toolbar?: ReactNode;
  /** What the side panel shows under "Preview" for the selected step. */
  preview?: ((stepId: string) => ReactNode) | undefined;
  /** What the side panel shows under "History". */
  history?: ReactNode;
  /** A dialog over the editor (the run plan). */
  overlay?: ReactNode;
}

type Tab = 'step' | 'issues' | 'preview' | 'history';

function inField(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}

/** The workflow editor: palette, canvas, step panel, issues, preview and history, keys and clipboard. */
export function Editor(props: EditorProps) {
  const { catalog, document: opened, onChange, validated, shapes, run } = props;
  const reducer = useCallback(
    (state: EditorState, action: EditorAction) => reduceEditor(state, action, catalog),
    [catalog],
  );
  const [state, dispatch] = useReducer(reducer, opened, openDocument);
  const [shownDocument, setShownDocument] = useState(opened);
  if (shownDocument !== opened) {
    setShownDocument(opened);
    dispatch({ type: 'load', document: opened });
  }
  const document = state.history.document;
  const [tab, setTab] = useState<Tab>('step');
  const [focus, setFocus] = useState<FieldFocus>();
  const [help, setHelp] = useState(false);
  const [notice, setNotice] = useState<string>();
  const flow = useRef<ReactFlowInstance<StepFlowNode, Edge>>(undefined);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    onChange?.(document);
  }, [document, onChange]);

  const latest = useRef(state);
  latest.current = state;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const command = commandOf(event, inField(event.target));
      if (command === undefined) return;
      const current = latest.current;
      const act = (action: EditorAction | undefined) => action && dispatch(action);
      switch (command) {
        case 'undo':
        case 'redo':
          act({ type: command });
          break;
        case 'duplicate':
          act(duplicateSelection(current, catalog));
          break;
        case 'selectAll':
          act({ type: 'select', ids: current.history.document.steps.map((step) => step.id) });
          break;
        case 'fitView':
          flow.current?.fitView();
          break;
        case 'search':
          search.current?.focus();
          break;
        case 'help':
          setHelp((shown) => !shown);
          break;
        case 'escape':
          setHelp(false);
          act({ type: 'select', ids: [] });
          break;
        default:
          // copy, cut and paste go through the clipboard events below; delete through the canvas
          return;
      }
      event.preventDefault();
    };
    const onCopy = (event: ClipboardEvent) => {
      const current = latest.current;
      if (inField(event.target) || current.selection.size === 0 || !event.clipboardData) return;
      event.clipboardData.setData('text/plain', copySelection(current, catalog));
      event.preventDefault();
      if (event.type === 'cut') dispatch({ type: 'edit', edit: { kind: 'remove', ids: [...current.selection] } });
    };
    const onPaste = (event: ClipboardEvent) => {
      if (inField(event.target) || !event.clipboardData) return;
      const action = pasteText(latest.current, event.clipboardData.getData('text/plain'), catalog);
      event.preventDefault();
      if (typeof action === 'string') setNotice(action);
      else dispatch(action);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('copy', onCopy);
    window.addEventListener('cut', onCopy);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('copy', onCopy);
      window.removeEventListener('cut', onCopy);
      window.removeEventListener('paste', onPaste);
    };
  }, [catalog]);

  const issueMap = useMemo(
    () => (validated ? issuesByStep(validated.issues, validated.document) : undefined),
    [validated],
  );
  const selected = state.selection.size === 1 ? [...state.selection][0] : undefined;
  const context = useMemo<StepFormContext>(() => {
    const index = document.steps.findIndex((step) => step.id === selected);
    const source = index < 0 ? undefined : inputsOf(document, index, catalog).input;
    const columns = source && 'step' in source ? shapes?.[source.step]?.columns : undefined;
    return { columns, files: props.files, checkExpression: props.checkExpression };
  }, [document, selected, catalog, shapes, props.files, props.checkExpression]);

  const onLocate = useCallback((location: IssueLocation, _issue: EditorIssue) => {
    if (location.kind !== 'step') return;
    dispatch({ type: 'select', ids: [location.stepId] });
    setTab('step');
    setFocus({ section: location.section, field: location.field, nonce: Date.now() });
  }, []);

  return (
    <div className="sw-editor">
      <header className="sw-toolbar">
        {props.toolbar}
        <button type="button" onClick={() => dispatch({ type: 'undo' })} disabled={state.history.past.length === 0}>
          Undo
        </button>
        <button type="button" onClick={() => dispatch({ type: 'redo' })} disabled={state.history.future.length === 0}>
          Redo
        </button>
        <button type="button" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">
          ?
        </button>
        {notice && (
          <button type="button" className="sw-notice" onClick={() => setNotice(undefined)} title="Dismiss">
            {notice}
          </button>
        )}
      </header>
      <Palette
        stepTypes={catalog.catalog.stepTypes}
        searchRef={search}
        onAppend={(info) => dispatch(appendStep(state, info))}
      />
      <Canvas
        document={document}
        catalog={catalog}
        selection={state.selection}
        run={run}
        pushedDown={props.pushedDown}
        issues={issueMap}
        dispatch={dispatch}
        onInit={(instance) => {
          flow.current = instance;
        }}
      />
      <aside className="sw-side">
        <div role="tablist">
          {(['step', 'issues', 'preview', 'history'] as const).map((name) => (
            <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => setTab(name)}>
              {name === 'issues' && validated ? `issues (${validated.issues.length})` : name}
            </button>
          ))}
        </div>
        {tab === 'step' &&
          (selected ? (
            <StepPanel
              document={document}
              stepId={selected}
              catalog={catalog}
              validated={validated}
              context={context}
              focus={focus}
              dispatch={dispatch}
            />
          ) : (
            <p className="sw-panel sw-help">
              Select a step to edit it; drag one from the palette, or press / to search.
            </p>
          ))}
        {tab === 'issues' && validated && (
          <IssuesPanel issues={validated.issues} validated={validated.document} onLocate={onLocate} />
        )}
        {tab === 'preview' &&
          (selected && props.preview ? (
            props.preview(selected)
          ) : (
            <p className="sw-panel sw-help">Select a step that has run.</p>
          ))}
        {tab === 'history' && props.history}
      </aside>
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
      {props.overlay}
    </div>
  );
}
