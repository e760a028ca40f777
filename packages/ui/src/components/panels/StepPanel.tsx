import {
  type InputReference,
  type JsonObject,
  type StepStrategy,
  type WorkflowDocument,
  workflowDocumentJsonSchema,
} from '@stepwise/core/model';
import { useEffect, useState } from 'react';
import type { StepFormContext } from '../../forms/form-context.js';
import { SchemaForm } from '../../forms/ParamsForm.js';
import type { CatalogIndex } from '../../graph/catalog.js';
import { inputsOf } from '../../graph/document-graph.js';
import type { EditorAction } from '../../graph/editor-state.js';
import { configErrors, type EditorIssue, type FieldErrors, locateIssue, type StepSection } from '../../graph/issues.js';
import { renameProblem } from '../../graph/step-ids.js';

// the strategy's JSON Schema is the document schema's own: one schema for the form and for validation
const documentSchema = workflowDocumentJsonSchema() as {
  properties: { steps: { items: { properties: { strategy: Record<string, unknown> } } } };
};
const strategySchema = documentSchema.properties.steps.items.properties.strategy;

/** The issues the editor shows, with the document they were found in. */
export interface Validated {
  issues: readonly EditorIssue[];
  /** The document the issues were computed for (their paths index its steps). */
  document: WorkflowDocument;
}

/** A field to bring into view: set by a click in the issues panel. */
export interface FieldFocus {
  section: StepSection;
  field: readonly (string | number)[];
  /** Changes on every click, so clicking the same issue twice focuses again. */
  nonce: number;
}

/** The step panel's step and what it can change. */
export interface StepPanelProps {
  document: WorkflowDocument;
  stepId: string;
  catalog: CatalogIndex;
  validated?: Validated | undefined;
  context?: StepFormContext | undefined;
  focus?: FieldFocus | undefined;
  dispatch: (action: EditorAction) => void;
}

/** The id of a form field, as rjsf makes it from the form's prefix and the field path. */
export function fieldId(section: 'config' | 'strategy', stepId: string, field: readonly (string | number)[]): string {
  return [`${section}-${stepId}`, ...field.map(String)].join('_');
}

/** One step: its id (renamable), type, inputs, parameters form and strategy, with inline errors. */
export function StepPanel({ document, stepId, catalog, validated, context, focus, dispatch }: StepPanelProps) {
  const index = document.steps.findIndex((step) => step.id === stepId);
  const step = document.steps[index];
  useEffect(() => {
    if (!focus || (focus.section !== 'config' && focus.section !== 'strategy')) return;
    const element = globalThis.document?.getElementById(fieldId(focus.section, stepId, focus.field));
    element?.scrollIntoView?.({ block: 'center' });
    element?.focus();
  }, [focus, stepId]);
  if (step === undefined) return null;
  const info = catalog.bySlug.get(step.type);
  const errors: FieldErrors | undefined = validated
    ? configErrors(validated.issues, validated.document, stepId)
    : undefined;
  const others = validated?.issues.filter((issue) => {
    const at = locateIssue(issue, validated.document);
    return at.kind === 'step' && at.stepId === stepId && at.section !== 'config';
  });
  return (
    <section className="sw-panel sw-step-panel" aria-label={`Step ${stepId}`}>
      <StepId document={document} stepId={stepId} dispatch={dispatch} />
      <p className="sw-step-type">
        {info ? `${info.name} (${info.slug})` : `Unknown step type "${step.type}"`}
        {info?.description && <span className="sw-help">{info.description}</span>}
      </p>
      {others && others.length > 0 && (
        <ul className="sw-step-issues">
          {others.map((issue) => (
            <li key={`${issue.code}:${issue.path.join('.')}`}>{issue.message}</li>
          ))}
        </ul>
      )}
      <h4>Inputs</h4>
      <Inputs inputs={inputsOf(document, index, catalog)} ports={catalog.ports(step.type)} />
      <h4>Parameters</h4>
      {info ? (
        <SchemaForm
          key={`config-${stepId}`}
          idPrefix={`config-${stepId}`}
          schema={info.params}
          value={step.config}
          errors={errors}
          context={context}
          onChange={(config, field) =>
            dispatch({
              type: 'edit',
              edit: { kind: 'setConfig', id: stepId, config },
              merge: `config:${stepId}:${field}`,
            })
          }
        />
      ) : (
        <pre>{JSON.stringify(step.config, null, 2)}</pre>
      )}
      <details open={step.strategy !== undefined}>
        <summary>Strategy (executor, workers, retries, timeout, cache)</summary>
        <SchemaForm
          key={`strategy-${stepId}`}
          idPrefix={`strategy-${stepId}`}
          schema={strategySchema}
          value={(step.strategy ?? {}) as JsonObject}
          onChange={(strategy, field) =>
            dispatch({
              type: 'edit',
              edit: { kind: 'setStrategy', id: stepId, strategy: strategy as StepStrategy },
              merge: `strategy:${stepId}:${field}`,
            })
          }
        />
      </details>
    </section>
  );
}

function StepId({ document, stepId, dispatch }: Pick<StepPanelProps, 'document' | 'stepId' | 'dispatch'>) {
  const [draft, setDraft] = useState(stepId);
  useEffect(() => setDraft(stepId), [stepId]);
  const problem = renameProblem(document, stepId, draft);
  const commit = () => {
    if (problem === undefined && draft !== stepId) {
      dispatch({ type: 'edit', edit: { kind: 'rename', from: stepId, to: draft }, select: [draft] });
    }
  };
  return (
    <label className="sw-step-id">
      Step id
      <input
        value={draft}
        aria-invalid={problem !== undefined}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => event.key === 'Enter' && commit()}
      />
      {problem && <span className="sw-warning">{problem}</span>}
    </label>
  );
}

function describeReference(reference: InputReference | undefined): string {
  if (reference === undefined) return 'not connected';
  if ('step' in reference) return `step ${reference.step}`;
  if ('input' in reference) return `workflow input ${reference.input}`;
  return `value ${reference.ref}`;
}

function Inputs({
  inputs,
  ports,
}: {
  inputs: Record<string, InputReference>;
  ports: readonly { name: string; type: string }[];
}) {
  if (ports.length === 0) return <p className="sw-help">A source step: it reads no input.</p>;
  return (
    <ul className="sw-inputs">
      {ports.map((port) => (
        <li key={port.name}>
          <code>{port.name}</code> ({port.type}): {describeReference(inputs[port.name])}
        </li>
      ))}
    </ul>
  );
}
