import { ErrorCode } from '../errors/codes.js';
import { type ValidationIssue, validationIssue } from '../errors/workflow-validation-error.js';
import type { InputReference, WorkflowInputDocument } from '../model/document.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import { closest } from '../registry/closest.js';
import type { StepRegistry } from '../registry/step-registry.js';
import { unknownStepTypeMessage } from '../registry/step-registry.js';
import { checkConfig } from './check-config.js';
import { checkStepInputs } from './check-inputs.js';
import { checkShapes } from './check-shapes.js';
import type { StructureCheck } from './check-structure.js';
import {
  type ContentContext,
  type ContentStep,
  closeIds,
  declaredInputs,
  type StepAnalysis,
  suggestIds,
} from './content-context.js';

export type { StepAnalysis } from './content-context.js';

import { findCycles } from './cycles.js';

/** The outcome of {@link checkContent}. */
export interface ContentCheck {
  issues: ValidationIssue[];
  /** One entry per step; undefined for a step with a problem of its own. */
  analysis: (StepAnalysis | undefined)[];
}

/**
 * Checks what needs the registry: step types, configs, inputs, references, data types, what the step
 * types' `infer` hooks find (e.g. a column that does not exist), cycles and outputs. Runs on a structurally checked copy; steps broken in shape are looked at only for their id.
 */
export function checkContent(copy: JsonObject, structure: StructureCheck, registry: StepRegistry): ContentCheck {
  const raw = Array.isArray(copy.steps) ? copy.steps : [];
  // The structure check held every step not in `brokenSteps` to the step schema; a broken one is
  // read only for its id.
  const broken = new Set(structure.brokenSteps);
  const issues: ValidationIssue[] = [];
  const steps = raw.map((value, index) => {
    if (broken.has(index)) return undefined;
    const step = contentStep(value);
    if (step === undefined) {
      // not reached while the step schema and contentStep agree; never pass a step unread
      broken.add(index);
      issues.push(validationIssue(ErrorCode.FIELD_INVALID, ['steps', index], 'Expected a step: { id, type, ... }.'));
    }
    return step;
  });
  const context: ContentContext = {
    registry,
    issues,
    steps,
    stepIds: raw.map((value) => (isJsonObject(value) && typeof value.id === 'string' ? value.id : undefined)),
    broken,
    ids: new Map(),
    types: new Array(steps.length).fill(undefined),
    workflowInputs: structure.inputsBroken ? undefined : workflowInputsOf(copy.inputs),
    edges: steps.map(() => []),
    forward: [],
  };
  indexIds(context);
  resolveTypes(context);
  checkWorkflowInputTypes(context);
  const analysis = steps.map((_, index) => analyseStep(context, index));
  checkShapes(context, analysis);
  checkCycles(context);
  if (!structure.outputsBroken) checkOutputs(context, referencesOf(copy.outputs) ?? {});
  return { issues: context.issues, analysis };
}

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A step of the checked copy as content checks read it, or undefined when it is not of the step schema's shape. */
function contentStep(value: JsonValue): ContentStep | undefined {
  if (!isJsonObject(value) || typeof value.id !== 'string' || typeof value.type !== 'string') return undefined;
  const { config } = value;
  if (config !== undefined && !isJsonObject(config)) return undefined;
  const inputs = value.inputs === undefined ? undefined : referencesOf(value.inputs);
  if (value.inputs !== undefined && inputs === undefined) return undefined;
  return { id: value.id, type: value.type, config, inputs };
}

/** A map of references (a step's `inputs`, the workflow's `outputs`), or undefined when one is not a reference. */
function referencesOf(value: JsonValue | undefined): Record<string, InputReference> | undefined {
  if (value === undefined) return {};
  if (!isJsonObject(value)) return undefined;
  const references: Record<string, InputReference> = {};
  for (const [name, item] of Object.entries(value)) {
    const reference = referenceOf(item);
    if (reference === undefined) return undefined;
    references[name] = reference;
  }
  return references;
}

function referenceOf(value: JsonValue): InputReference | undefined {
  if (!isJsonObject(value)) return undefined;
  if (typeof value.step === 'string') return { step: value.step };
  if (typeof value.input === 'string') return { input: value.input };
  if (typeof value.ref === 'string') return { ref: value.ref };
  return undefined;
}

/** The declared workflow inputs, by name (the structure check held them to the input schema). */
function workflowInputsOf(value: JsonValue | undefined): Map<string, WorkflowInputDocument> {
  const declared = new Map<string, WorkflowInputDocument>();
  if (!isJsonObject(value)) return declared;
  for (const [name, item] of Object.entries(value)) {
    if (!isJsonObject(item) || typeof item.type !== 'string') continue;
    declared.set(
      name,
      typeof item.description === 'string' ? { type: item.type, description: item.description } : { type: item.type },
    );
  }
  return declared;
}

function indexIds(context: ContentContext): void {
  context.stepIds.forEach((id, index) => {
    if (id === undefined) return;
    const first = context.ids.get(id);
    if (first === undefined) {
      context.ids.set(id, index);
      return;
    }
    context.issues.push(
      validationIssue(
        ErrorCode.STEP_ID_DUPLICATE,
        ['steps', index, 'id'],
        `Step id "${id}" is already used by steps[${first}]; step ids must be unique.`,
        { actual: JSON.stringify(id), expected: 'an id no other step has' },
      ),
    );
  });
}

function resolveTypes(context: ContentContext): void {
  const known = new Map<string, { message: string; suggestions: string[] }>();
  let slugs: string[] | undefined;
  context.steps.forEach((step, index) => {
    if (step === undefined) return;
    const type = context.registry.get(step.type);
    context.types[index] = type;
    if (type) return;
    let found = known.get(step.type);
    if (found === undefined) {
      slugs ??= context.registry.slugs();
      found = { message: unknownStepTypeMessage(step.type, slugs), suggestions: closest(step.type, slugs) };
      known.set(step.type, found);
    }
    const data = { suggestions: found.suggestions, actual: JSON.stringify(step.type) };
    context.issues.push(validationIssue(ErrorCode.STEP_TYPE_UNKNOWN, ['steps', index, 'type'], found.message, data));
  });
}

function checkWorkflowInputTypes(context: ContentContext): void {
  for (const [name, declaration] of context.workflowInputs ?? []) {
    if (context.registry.dataType(declaration.type)) continue;
    const known = context.registry.dataTypes().map((type) => type.name);
    context.issues.push(
      validationIssue(
        ErrorCode.DATA_TYPE_UNKNOWN,
        ['inputs', name, 'type'],
        `Workflow input "${name}" has the unknown data type "${declaration.type}"; known: ${known.join(', ')}.`,
        { suggestions: closest(declaration.type, known), actual: JSON.stringify(declaration.type) },
      ),
    );
  }
}

function analyseStep(context: ContentContext, index: number): StepAnalysis | undefined {
  if (context.broken.has(index)) return undefined;
  const stepType = context.types[index];
  const found = checkStepInputs(context, index, stepType);
  if (stepType === undefined) return undefined;
  const config = checkConfig(context, index, stepType);
  if (!config.ok || !found) return undefined;
  return { stepType, params: config.params, inputs: found.inputs, dependsOn: found.dependsOn };
}

function checkCycles(context: ContentContext): void {
  if (context.forward.length === 0) return;
  const component = new Map<number, number>();
  findCycles(context.edges).forEach((members, n) => {
    for (const member of members) component.set(member, n);
    const first = members[0] as number;
    const names = members.map((member) => `"${context.stepIds[member]}"`).join(', ');
    context.issues.push(
      validationIssue(
        ErrorCode.CYCLE,
        ['steps', first, 'inputs'],
        `Steps ${names} read each other in a cycle; a step can only read steps listed before it.`,
      ),
    );
  });
  for (const { from, to, path } of context.forward) {
    const inCycle = component.has(from) && component.get(from) === component.get(to);
    if (inCycle) continue;
    const reader = context.stepIds[from];
    const target = context.stepIds[to];
    context.issues.push(
      validationIssue(
        ErrorCode.REFERENCE_FORWARD,
        path,
        `Step "${reader}" reads step "${target}", which comes later (steps[${to}]); steps run in list order, so move "${target}" before "${reader}".`,
      ),
    );
  }
}

function checkOutputs(context: ContentContext, outputs: Record<string, InputReference>): void {
  for (const [name, reference] of Object.entries(outputs)) {
    if ('step' in reference && !context.ids.has(reference.step)) {
      context.issues.push(
        validationIssue(
          ErrorCode.STEP_NOT_FOUND,
          ['outputs', name, 'step'],
          `Output "${name}" reads step "${reference.step}", which does not exist.${suggestIds(context, reference.step)}`,
          { suggestions: closeIds(context, reference.step), actual: JSON.stringify(reference.step) },
        ),
      );
    } else if ('input' in reference && context.workflowInputs && !context.workflowInputs.has(reference.input)) {
      context.issues.push(
        validationIssue(
          ErrorCode.INPUT_UNKNOWN,
          ['outputs', name, 'input'],
          `Output "${name}" reads workflow input "${reference.input}", which is not declared.${declaredInputs(context)}`,
          {
            suggestions: closest(reference.input, [...context.workflowInputs.keys()]),
            actual: JSON.stringify(reference.input),
          },
        ),
      );
    }
  }
}
