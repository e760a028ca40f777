import { ErrorCode } from '../errors/codes.js';
import { type ValidationIssue, validationIssue } from '../errors/workflow-validation-error.js';
import type { InputReference, StepDocument, WorkflowInputDocument } from '../model/document.js';
import type { JsonObject } from '../model/json.js';
import { closest } from '../registry/closest.js';
import type { StepRegistry } from '../registry/step-registry.js';
import { unknownStepTypeMessage } from '../registry/step-registry.js';
import { checkConfig } from './check-config.js';
import { checkStepInputs } from './check-inputs.js';
import { checkShapes } from './check-shapes.js';
import type { StructureCheck } from './check-structure.js';
import { type ContentContext, closeIds, declaredInputs, type StepAnalysis, suggestIds } from './content-context.js';

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
  // The structure check has held every step not in `brokenSteps` to the step schema; a broken one
  // is read only for its id, which every use checks. So the list is steps, as far as it is read.
  const steps = (Array.isArray(copy.steps) ? copy.steps : []) as unknown as StepDocument[];
  const context: ContentContext = {
    registry,
    issues: [],
    steps,
    broken: structure.brokenSteps,
    ids: new Map(),
    types: new Array(steps.length).fill(undefined),
    workflowInputs: structure.inputsBroken ? undefined : new Map(Object.entries(inputsOf(copy))),
    edges: steps.map(() => []),
    forward: [],
  };
  indexIds(context);
  resolveTypes(context);
  checkWorkflowInputTypes(context);
  const analysis = steps.map((_, index) => analyseStep(context, index));
  checkShapes(context, analysis);
  checkCycles(context);
  if (!structure.outputsBroken) checkOutputs(context, (copy.outputs ?? {}) as Record<string, InputReference>);
  return { issues: context.issues, analysis };
}

function inputsOf(copy: JsonObject): Record<string, WorkflowInputDocument> {
  return (copy.inputs ?? {}) as unknown as Record<string, WorkflowInputDocument>;
}

function indexIds(context: ContentContext): void {
  context.steps.forEach((step, index) => {
    if (typeof step?.id !== 'string') return;
    const first = context.ids.get(step.id);
    if (first === undefined) {
      context.ids.set(step.id, index);
      return;
    }
    context.issues.push(
      validationIssue(
        ErrorCode.STEP_ID_DUPLICATE,
        ['steps', index, 'id'],
        `Step id "${step.id}" is already used by steps[${first}]; step ids must be unique.`,
        { actual: JSON.stringify(step.id), expected: 'an id no other step has' },
      ),
    );
  });
}

function resolveTypes(context: ContentContext): void {
  const known = new Map<string, { message: string; suggestions: string[] }>();
  let slugs: string[] | undefined;
  context.steps.forEach((step, index) => {
    if (context.broken.has(index)) return;
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
    const names = members.map((member) => `"${context.steps[member]?.id}"`).join(', ');
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
    const reader = context.steps[from]?.id;
    const target = context.steps[to]?.id;
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
