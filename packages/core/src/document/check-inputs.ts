import { ErrorCode } from '../errors/codes.js';
import { type PathSegment, validationIssue } from '../errors/workflow-validation-error.js';
import { type InputReference, PRIMARY_INPUT } from '../model/document.js';
import { closest } from '../registry/closest.js';
import { typesCompatible } from '../registry/data-type.js';
import type { StepType } from '../registry/step-type.js';
import { type ContentContext, type ContentStep, closeIds, declaredInputs, suggestIds } from './content-context.js';

/** A step's effective inputs and the steps it reads, when every reference is sound. */
export interface InputsCheck {
  inputs: Record<string, InputReference>;
  dependsOn: string[];
}

/** Declared inputs (name → data type) per step type, built once: a Map, so `toString` is just a name. */
const declaredByType = new WeakMap<StepType, Map<string, string>>();

/**
 * Checks a step's inputs after the sequential default: every declared input is present, every given
 * input is declared, and every reference points at an earlier step or a declared workflow input of
 * a compatible data type. With an unknown step type only the references themselves are checked.
 */
export function checkStepInputs(
  context: ContentContext,
  index: number,
  stepType: StepType | undefined,
): InputsCheck | undefined {
  const step = context.steps[index];
  if (step === undefined) return undefined;
  const before = context.issues.length;
  const declared = stepType ? inputsOfType(stepType) : undefined;
  const takesInput = stepType?.inputType !== undefined;
  const inputs = stepType ? effectiveInputs(context.stepIds, step, index, takesInput) : (step.inputs ?? {});
  // the sequential default from a step broken in shape whose id is not a string: its issue is reported, not this
  const fromBroken = takesInput && step.inputs === undefined && index > 0 && context.stepIds[index - 1] === undefined;
  for (const [name, type] of declared ?? []) {
    if (Object.hasOwn(inputs, name) || (fromBroken && name === PRIMARY_INPUT)) continue;
    const at = { index, name, stepType };
    const first = index === 0 && step.inputs === undefined;
    context.issues.push(
      validationIssue(ErrorCode.INPUT_MISSING, inputPath(at), missingMessage(context, at, type, first), {
        expected: type,
      }),
    );
  }
  const dependsOn: string[] = [];
  for (const name in inputs) {
    const reference = inputs[name] as InputReference;
    const expected = declared?.get(name);
    const at: ReferenceAt = { index, name, stepType, reference, expected };
    if (declared && expected === undefined) {
      const names = [...declared.keys()];
      context.issues.push(
        validationIssue(
          ErrorCode.INPUT_UNKNOWN,
          inputPath(at),
          `${labelOf(context, at)} has no input "${name}"; its inputs are: ${names.length > 0 ? names.join(', ') : 'none (it is a source step)'}.`,
          { suggestions: closest(name, names), actual: JSON.stringify(name) },
        ),
      );
    }
    const target = checkReference(context, at);
    if (target !== undefined && !dependsOn.includes(target)) dependsOn.push(target);
  }
  if (context.issues.length > before) return undefined;
  return { inputs, dependsOn };
}

/** The step's inputs, or the sequential default: the previous step's output (by its id, when it is a string). */
function effectiveInputs(
  stepIds: readonly (string | undefined)[],
  step: ContentStep,
  index: number,
  takesInput: boolean,
): Record<string, InputReference> {
  if (step.inputs !== undefined) return step.inputs;
  const previous = index > 0 ? stepIds[index - 1] : undefined;
  return takesInput && previous !== undefined ? { [PRIMARY_INPUT]: { step: previous } } : {};
}

interface InputAt {
  index: number;
  name: string;
  stepType: StepType | undefined;
}

interface ReferenceAt extends InputAt {
  reference: InputReference;
  expected: string | undefined;
}

// Paths and labels are built only for issues: a valid 10,000-step workflow allocates none.
function inputPath(at: InputAt, ...rest: PathSegment[]): PathSegment[] {
  return ['steps', at.index, 'inputs', at.name, ...rest];
}

function labelOf(context: ContentContext, at: InputAt): string {
  const id = context.stepIds[at.index];
  return at.stepType ? `Step "${id}" (${at.stepType.slug})` : `Step "${id}"`;
}

function inputsOfType(stepType: StepType): Map<string, string> {
  let declared = declaredByType.get(stepType);
  if (declared === undefined) {
    declared = new Map(Object.entries(stepType.inputs));
    if (stepType.inputType !== undefined) declared.set(PRIMARY_INPUT, stepType.inputType);
    declaredByType.set(stepType, declared);
  }
  return declared;
}

function missingMessage(context: ContentContext, at: InputAt, type: string, firstWithoutInputs: boolean): string {
  const label = labelOf(context, at);
  if (firstWithoutInputs && at.name === PRIMARY_INPUT) {
    return `${label} needs an input of type ${type} but is the first step, so there is no previous step to read; give it "inputs": { "input": { "input": "<workflow input>" } } or put a source step before it.`;
  }
  return `${label} needs the input "${at.name}" (${type}); add it under "inputs" as { "step": id }, { "input": name } or { "ref": ref }.`;
}

/** Checks one reference; returns the id of the earlier step it reads, if any. */
function checkReference(context: ContentContext, at: ReferenceAt): string | undefined {
  const { reference } = at;
  if ('step' in reference) return checkStepReference(context, at, reference.step);
  if ('input' in reference && context.workflowInputs) {
    const declaration = context.workflowInputs.get(reference.input);
    if (declaration === undefined) {
      context.issues.push(
        validationIssue(
          ErrorCode.INPUT_UNKNOWN,
          inputPath(at, 'input'),
          `${labelOf(context, at)} reads workflow input "${reference.input}", which is not declared.${declaredInputs(context)}`,
          {
            suggestions: closest(reference.input, [...context.workflowInputs.keys()]),
            actual: JSON.stringify(reference.input),
          },
        ),
      );
    } else if (context.registry.dataType(declaration.type)) {
      checkTypes(context, at, declaration.type, `workflow input "${reference.input}"`);
    }
  }
  return undefined;
}

function checkStepReference(context: ContentContext, at: ReferenceAt, id: string): string | undefined {
  const target = context.ids.get(id);
  if (target === undefined) {
    context.issues.push(
      validationIssue(
        ErrorCode.STEP_NOT_FOUND,
        inputPath(at, 'step'),
        `${labelOf(context, at)} reads step "${id}", which does not exist.${suggestIds(context, id)}`,
        { suggestions: closeIds(context, id), actual: JSON.stringify(id) },
      ),
    );
    return undefined;
  }
  if (target === at.index || context.stepIds[at.index] === id) {
    context.issues.push(
      validationIssue(
        ErrorCode.REFERENCE_SELF,
        inputPath(at, 'step'),
        `${labelOf(context, at)} reads its own output; point input "${at.name}" at an earlier step.`,
      ),
    );
    return undefined;
  }
  (context.edges[at.index] as number[]).push(target);
  if (target > at.index) context.forward.push({ from: at.index, to: target, path: inputPath(at, 'step') });
  const producer = context.types[target];
  if (producer) checkTypes(context, at, producer.outputType, `step "${id}" (${producer.slug})`);
  return target < at.index ? id : undefined;
}

function checkTypes(context: ContentContext, at: ReferenceAt, produced: string, source: string): void {
  if (at.expected === undefined || typesCompatible(produced, at.expected)) return;
  context.issues.push(
    validationIssue(
      ErrorCode.INPUT_TYPE_MISMATCH,
      inputPath(at),
      `Input "${at.name}" of ${labelOf(context, at).replace(/^Step/, 'step')} expects ${at.expected}, but ${source} gives ${produced}.`,
      { expected: at.expected, actual: produced },
    ),
  );
}
