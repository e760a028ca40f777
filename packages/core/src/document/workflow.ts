import { ErrorCode } from '../errors/codes.js';
import { StepwiseError, toStepError } from '../errors/stepwise-error.js';
import { type ValidationIssue, validationIssue, WorkflowValidationError } from '../errors/workflow-validation-error.js';
import {
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  type InputReference,
  type WorkflowDocument,
  type WorkflowInputDocument,
} from '../model/document.js';
import type { JsonObject } from '../model/json.js';
import { defaultRegistry } from '../registry/default-registry.js';
import type { StepRegistry } from '../registry/step-registry.js';
import type { StepType } from '../registry/step-type.js';
import { canonicalDocument } from './canonical.js';
import { type Inspection, inspectDocument } from './inspect.js';
import { copyJson, filledJson, freezeJson, frozenJson } from './json-copy.js';
import { type AddStepOptions, makeStep, renameReference, type Step, type StepPatch } from './step.js';
import { StepIds } from './step-ids.js';
import { renamedOutputs, slugIn, withEntry } from './workflow-edits.js';
import type { AddArguments, LoadOptions, WorkflowOptions } from './workflow-options.js';
import { buildPlan, type WorkflowPlan } from './workflow-plan.js';

type Record_<T> = Readonly<Record<string, T>>;
const EMPTY: Readonly<JsonObject> = Object.freeze({});

/**
 * A workflow: configured steps, their inputs, declared inputs and outputs. Serializes to the workflow
 * document (format 1) and plans itself for the runner. Editing methods throw at once only for
 * misuse (an unknown step type, a non-JSON value, an unknown step id); everything else (bad configs,
 * references, ids) is reported by {@link Workflow.validate} and {@link Workflow.plan}.
 * @example
 * const wf = new Workflow({ id: 'sales', name: 'Sales cleanup' });
 * wf.add(readCsv, { path: 'sales.csv' }, { id: 'load' });
 * wf.add(cleanNulls, { threshold: 0.5 });
 * const text = stringifyWorkflow(wf);
 */
export class Workflow {
  readonly id: string;
  readonly registry: StepRegistry;
  #name: string;
  #description: string;
  #inputs: Record_<WorkflowInputDocument>;
  #outputs: Record_<InputReference>;
  #ui: Readonly<JsonObject> | undefined;
  #metadata: Readonly<JsonObject> | undefined;
  #steps: Step[] = [];
  readonly #ids = new StepIds();
  // Caches, dropped by every change: validate() and plan() on an unchanged workflow are O(1).
  #inspection: Inspection | undefined;
  #plan: WorkflowPlan | undefined;
  #snapshot: readonly Step[] | undefined;

  /** @throws WorkflowValidationError when `inputs`, `outputs`, `ui` or `metadata` is not JSON. */
  constructor(options: WorkflowOptions) {
    this.id = options.id;
    this.registry = options.registry ?? defaultRegistry;
    this.#name = options.name ?? '';
    this.#description = options.description ?? '';
    this.#inputs = frozenJson(['inputs'], options.inputs ?? {});
    this.#outputs = frozenJson(['outputs'], options.outputs ?? {});
    this.#ui = filledJson(['ui'], options.ui);
    this.#metadata = filledJson(['metadata'], options.metadata);
  }

  /**
   * Loads and validates a workflow document (format 1). Never half-loads.
   * @throws WorkflowValidationError listing every issue (and nothing else, whatever `document` is).
   */
  static fromJSON(document: unknown, options: LoadOptions = {}): Workflow {
    try {
      return Workflow.#load(document, options?.registry ?? defaultRegistry);
    } catch (error) {
      if (error instanceof WorkflowValidationError) throw error;
      const message = `The document could not be loaded: ${toStepError(error).message}`;
      throw new WorkflowValidationError(
        [validationIssue(ErrorCode.DOCUMENT_INVALID, [], message)],
        'Workflow document',
        {
          cause: error,
        },
      );
    }
  }

  static #load(document: unknown, registry: StepRegistry): Workflow {
    const inspection = inspectDocument(document, registry);
    if (inspection.document === undefined)
      throw new WorkflowValidationError(inspection.issues, 'Workflow document', { cause: inspection.cause });
    const doc = freezeJson(inspection.document);
    const workflow = new Workflow({ id: doc.id, name: doc.name, description: doc.description, registry });
    workflow.#inputs = doc.inputs;
    workflow.#outputs = doc.outputs;
    workflow.#ui = doc.ui;
    workflow.#metadata = doc.metadata;
    workflow.#steps = [...doc.steps];
    workflow.#inspection = inspection;
    workflow.#plan = buildPlan(doc, inspection.analysis, registry);
    return workflow;
  }

  /** Human-readable name; setting it is an edit like any other (caches are dropped). */
  get name(): string {
    return this.#name;
  }
  set name(name: string) {
    this.#name = name;
    this.#touch();
  }
  /** Free text shown by the editor and the catalog of workflows. */
  get description(): string {
    return this.#description;
  }
  set description(description: string) {
    this.#description = description;
    this.#touch();
  }
  /** Declared workflow inputs. */
  get inputs(): Record_<WorkflowInputDocument> {
    return this.#inputs;
  }
  /** Declared outputs (without the default `result`; see {@link Workflow.plan}). */
  get outputs(): Record_<InputReference> {
    return this.#outputs;
  }
  /** Editor state; `{}` when there is none. */
  get ui(): Readonly<JsonObject> {
    return this.#ui ?? EMPTY;
  }
  /** @throws WorkflowValidationError when `ui` is not JSON. */
  set ui(ui: JsonObject) {
    this.#ui = filledJson(['ui'], ui);
    this.#touch();
  }
  /** Free JSON; `{}` when there is none. */
  get metadata(): Readonly<JsonObject> {
    return this.#metadata ?? EMPTY;
  }
  /** @throws WorkflowValidationError when `metadata` is not JSON. */
  set metadata(metadata: JsonObject) {
    this.#metadata = filledJson(['metadata'], metadata);
    this.#touch();
  }

  /** The steps in order (a frozen array of immutable steps). */
  get steps(): readonly Step[] {
    this.#snapshot ??= Object.freeze([...this.#steps]);
    return this.#snapshot;
  }

  /** The step with this id, or undefined. */
  step(id: string): Step | undefined {
    const index = this.#ids.indexOf(this.#steps, id);
    return index === undefined ? undefined : this.#steps[index];
  }

  /**
   * Appends a step. With a StepType the config is typed by its params; it is checked by
   * `validate()`/`plan()`, not here.
   * @throws StepwiseError `STEP_TYPE_UNKNOWN` for a type not in the workflow's registry (naming the
   * closest slugs), `STEP_TYPE_CONFLICT` for a StepType whose slug the registry holds with another
   * definition, `CONFIG_INVALID` for a config that is not an object; WorkflowValidationError for
   * values that are not JSON.
   */
  add<T extends StepType>(type: T, ...rest: AddArguments<T>): Step;
  add(type: string, config?: JsonObject, options?: AddStepOptions): Step;
  add(type: StepType | string, config?: unknown, options: AddStepOptions = {}): Step {
    const slug = slugIn(this.registry, this.id, type);
    const id = options.id ?? this.#ids.free(this.#steps, slug);
    const step = makeStep(
      {
        id,
        type: slug,
        config: config ?? {},
        inputs: options.inputs,
        strategy: options.strategy,
        metadata: options.metadata,
      },
      this.#steps.length,
    );
    this.#steps.push(step);
    this.#ids.appended(id, this.#steps.length - 1);
    this.#touch(false);
    return step;
  }

  /**
   * Removes a step and returns it. References to it stay (and `validate()` reports them).
   * @throws StepwiseError `STEP_NOT_FOUND`
   */
  remove(id: string): Step {
    const index = this.#ids.require(this.#steps, id, this.id);
    const [removed] = this.#steps.splice(index, 1);
    this.#touch();
    return removed as Step;
  }

  /**
   * Moves a step to `toIndex` (0 is first; the others keep their order).
   * @throws StepwiseError `STEP_NOT_FOUND`, `FIELD_INVALID` for an index outside the list.
   */
  move(id: string, toIndex: number): void {
    const index = this.#ids.require(this.#steps, id, this.id);
    if (!Number.isInteger(toIndex) || toIndex < 0 || toIndex >= this.#steps.length) {
      throw new StepwiseError(
        ErrorCode.FIELD_INVALID,
        `Cannot move step "${id}" to index ${toIndex}: expected an integer from 0 to ${this.#steps.length - 1}.`,
      );
    }
    const [step] = this.#steps.splice(index, 1);
    this.#steps.splice(toIndex, 0, step as Step);
    this.#touch();
  }

  /**
   * Replaces fields of a step and returns the new step. A new `id` is followed by the references to
   * the step in other steps' inputs and in the outputs (not by `ui`, which is the editor's).
   * @throws StepwiseError `STEP_NOT_FOUND`, `STEP_TYPE_UNKNOWN`, `CONFIG_INVALID`; WorkflowValidationError
   * for values that are not JSON.
   */
  update(id: string, patch: StepPatch): Step {
    const index = this.#ids.require(this.#steps, id, this.id);
    const old = this.#steps[index] as Step;
    const pick = <K extends 'inputs' | 'strategy' | 'metadata'>(key: K) =>
      patch[key] === undefined ? old[key] : (patch[key] ?? undefined);
    const step = makeStep(
      {
        id: patch.id ?? old.id,
        type: patch.type === undefined ? old.type : slugIn(this.registry, this.id, patch.type),
        config: patch.config ?? old.config,
        inputs: pick('inputs'),
        strategy: pick('strategy'),
        metadata: pick('metadata'),
      },
      index,
    );
    this.#steps[index] = step;
    if (step.id !== old.id) this.#followRename(old.id, step.id);
    this.#touch();
    return step;
  }

  /**
   * Declares (or with `undefined` removes) a workflow input.
   * @throws StepwiseError `KEY_FORBIDDEN` for `__proto__`, `constructor` or `prototype`.
   */
  setInput(name: string, declaration: WorkflowInputDocument | undefined): void {
    this.#inputs = withEntry(this.#inputs, 'inputs', name, declaration);
    this.#touch();
  }

  /**
   * Declares (or with `undefined` removes) a named output.
   * @throws StepwiseError `KEY_FORBIDDEN` for `__proto__`, `constructor` or `prototype`.
   */
  setOutput(name: string, reference: InputReference | undefined): void {
    this.#outputs = withEntry(this.#outputs, 'outputs', name, reference);
    this.#touch();
  }

  /** Every problem of the workflow, each with a code and a path; `[]` when it is valid. Cached. */
  validate(): ValidationIssue[] {
    return [...this.#inspect().issues];
  }

  /**
   * The workflow resolved against its registry, for the runner. Cached until the workflow changes,
   * so calling it on every run costs nothing (registering step types later does not refresh it).
   * A workflow without declared outputs has one output, `result`: the last step's output.
   * @throws WorkflowValidationError listing every issue `validate()` finds.
   */
  plan(): WorkflowPlan {
    if (this.#plan) return this.#plan;
    const inspection = this.#inspect();
    if (inspection.document === undefined)
      throw new WorkflowValidationError(inspection.issues, `Workflow "${this.id}"`);
    this.#plan = buildPlan(inspection.document, inspection.analysis, this.registry);
    return this.#plan;
  }

  /** The workflow document (format 1): a fresh, canonical copy (fixed key order, sorted maps). */
  toJSON(): WorkflowDocument {
    return canonicalDocument(copyJson(this.#view()).value as JsonObject);
  }

  #inspect(): Inspection {
    this.#inspection ??= inspectDocument(this.#view(), this.registry);
    return this.#inspection;
  }

  #view(): Record<string, unknown> {
    return {
      format: DOCUMENT_FORMAT,
      version: DOCUMENT_VERSION,
      id: this.id,
      name: this.#name,
      description: this.#description,
      inputs: this.#inputs,
      steps: this.#steps,
      outputs: this.#outputs,
      ...(this.#ui ? { ui: this.#ui } : {}),
      ...(this.#metadata ? { metadata: this.#metadata } : {}),
    };
  }

  #touch(indexChanged = true): void {
    this.#inspection = undefined;
    this.#plan = undefined;
    this.#snapshot = undefined;
    if (indexChanged) this.#ids.forget();
  }

  #followRename(from: string, to: string): void {
    this.#steps = this.#steps.map((step, index) => renameReference(step, from, to, index));
    this.#outputs = renamedOutputs(this.#outputs, from, to);
  }
}
