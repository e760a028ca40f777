import type { WidgetProps } from '@rjsf/utils';
import { useEffect, useId, useState } from 'react';
import { pathProblem, type StepFormContext } from './form-context.js';

function contextOf(props: WidgetProps): StepFormContext {
  return (props.registry.formContext ?? {}) as StepFormContext;
}

function Suggestions({ id, values }: { id: string; values: readonly string[] | undefined }) {
  if (!values || values.length === 0) return null;
  return (
    <datalist id={id}>
      {values.map((value) => (
        <option key={value} value={value} />
      ))}
    </datalist>
  );
}

function unknownColumn(name: string, columns: readonly string[] | undefined): string | undefined {
  if (!columns || name === '' || columns.includes(name)) return undefined;
  return `The input has no column "${name}"; its columns: ${columns.join(', ') || '(none)'}.`;
}

/** One column of the step's input, picked from the inferred columns (any name can still be typed). */
export function ColumnWidget(props: WidgetProps) {
  const { columns } = contextOf(props);
  const list = useId();
  const value = typeof props.value === 'string' ? props.value : '';
  const warning = unknownColumn(value, columns);
  return (
    <span className="sw-widget">
      <input
        id={props.id}
        list={list}
        value={value}
        disabled={props.disabled || props.readonly}
        onChange={(event) => props.onChange(event.target.value === '' ? undefined : event.target.value)}
        onBlur={() => props.onBlur(props.id, value)}
      />
      <Suggestions id={list} values={columns} />
      {warning && <span className="sw-warning">{warning}</span>}
    </span>
  );
}

/** A list of columns of the step's input: chosen ones as removable chips, more added from the inferred columns. */
export function ColumnsWidget(props: WidgetProps) {
  const { columns } = contextOf(props);
  const list = useId();
  const [draft, setDraft] = useState('');
  const chosen: string[] = Array.isArray(props.value)
    ? props.value.filter((v): v is string => typeof v === 'string')
    : [];
  const add = () => {
    const name = draft.trim();
    if (name === '' || chosen.includes(name)) return;
    props.onChange([...chosen, name]);
    setDraft('');
  };
  return (
    <span className="sw-widget sw-columns">
      {chosen.map((name) => (
        <span
          key={name}
          className={unknownColumn(name, columns) ? 'sw-chip sw-chip-unknown' : 'sw-chip'}
          title={unknownColumn(name, columns)}
        >
          {name}
          <button
            type="button"
            aria-label={`Remove ${name}`}
            onClick={() => props.onChange(chosen.filter((c) => c !== name))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        id={props.id}
        list={list}
        value={draft}
        placeholder="Add a column"
        disabled={props.disabled || props.readonly}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            add();
          }
        }}
        onBlur={add}
      />
      <Suggestions id={list} values={columns?.filter((name) => !chosen.includes(name))} />
    </span>
  );
}

/** An expression, checked as you type (by the server's grammar, through the form context). */
export function ExpressionWidget(props: WidgetProps) {
  const { checkExpression, columns } = contextOf(props);
  const value = typeof props.value === 'string' ? props.value : '';
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    if (!checkExpression || value === '') {
      setProblem(undefined);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      checkExpression(value).then(
        (found) => current && setProblem(found),
        () => current && setProblem(undefined),
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [value, checkExpression]);
  return (
    <span className="sw-widget sw-expression">
      <textarea
        id={props.id}
        value={value}
        rows={2}
        spellCheck={false}
        disabled={props.disabled || props.readonly}
        aria-invalid={problem !== undefined}
        onChange={(event) => props.onChange(event.target.value === '' ? undefined : event.target.value)}
        onBlur={() => props.onBlur(props.id, value)}
      />
      {problem && <span className="sw-warning">{problem}</span>}
      {columns && columns.length > 0 && (
        <span className="sw-help">Columns: {columns.map((c) => `d.${c}`).join(', ')}</span>
      )}
    </span>
  );
}

/** A file path under the data root, with the data root's files as suggestions. */
export function PathWidget(props: WidgetProps) {
  const { files } = contextOf(props);
  const list = useId();
  const value = typeof props.value === 'string' ? props.value : '';
  const problem = pathProblem(value);
  return (
    <span className="sw-widget">
      <input
        id={props.id}
        list={list}
        value={value}
        placeholder="path/under/the/data/root"
        disabled={props.disabled || props.readonly}
        aria-invalid={problem !== undefined}
        onChange={(event) => props.onChange(event.target.value === '' ? undefined : event.target.value)}
        onBlur={() => props.onBlur(props.id, value)}
      />
      <Suggestions id={list} values={files} />
      {problem && <span className="sw-warning">{problem}</span>}
    </span>
  );
}

/** The editor's widgets, by the names `uiSchemaFor` uses. */
export const stepWidgets = {
  column: ColumnWidget,
  columns: ColumnsWidget,
  expression: ExpressionWidget,
  path: PathWidget,
};
