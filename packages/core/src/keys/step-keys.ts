import { effectiveInputs, type InputReference, type StepStrategy, type WorkflowDocument } from '../model/document.js';
import type { FileIdentity, StepRun } from '../model/run.js';
import type { StepRegistry } from '../registry/step-registry.js';
import type { StepMode, StepType } from '../registry/step-type.js';
import { canonicalJson, sha256 } from './canonical.js';
import { fileIdentityText } from './file-identity.js';
import { fingerprintOf } from './fingerprint.js';

/*
 * The step key: what decides that a step's earlier output still stands (resume, `strategy.cache`,
 * the plan). key = sha256 of
 *   the step type's slug and fingerprint (fields, params schema, its function's own source),
 *   its params (parsed, defaults applied, canonical JSON; the raw config when they are not JSON),
 *   the strategy fields its function can observe (chunkRows and workers of a streaming step),
 *   the identity of each named input: the producing step's key when that step is cacheable, else
 *     the ref it produced; the ref of a workflow input or a fixed ref,
 *   the identity of each file it reads (size, modification time, a content hash where asked),
 *     from its step type's `files` hook.
 * Keys chain: a step downstream of an unchanged cacheable step keeps its key even when that step ran
 * again, and a change anywhere upstream changes every key below it.
 */

/** A step as its key sees it, from a plan or from an earlier run's document. */
export interface KeyStep {
  readonly id: string;
  /** Position in its workflow's step list. */
  readonly index: number;
  readonly slug: string;
  /** The step type registered under the slug now; undefined when there is none (then no key). */
  readonly stepType: StepType | undefined;
  /** The parsed params (defaults applied), or undefined when the config does not parse. */
  readonly params: unknown;
  /** The config as written in the document. */
  readonly config: unknown;
  readonly strategy: StepStrategy;
  /** Effective inputs (the sequential default applied). */
  readonly inputs: Readonly<Record<string, InputReference>>;
}

/** Where a {@link StepKeys} finds what a key is made of. */
export interface KeySource {
  /** The step at `index`. */
  step(index: number): KeyStep;
  /** The index of the step with this id, or undefined. */
  indexOf(id: string): number | undefined;
  /** The fingerprint the step's type had when the step ran (or has now, for a step about to run). */
  fingerprint(index: number): string | undefined;
  /** The ref of a workflow input. */
  input(name: string): string | undefined;
  /** The step's state in the run: its output ref, its files, its key when already known. */
  state(index: number): StepRun | undefined;
}

/** What a key is made of, each part as text; undefined parts make the key unknown. */
export interface KeyParts {
  slug: string;
  fingerprint: string | undefined;
  params: string;
  strategy: string;
  /** Each input's identity, by input name. */
  inputs: Record<string, string | undefined>;
  /** Each file's identity as text; undefined when the step reads files not yet identified. */
  files: string[] | undefined;
}

/** Computes (and remembers) the step keys of one run, or of an earlier run's record. */
export class StepKeys {
  readonly #source: KeySource;
  readonly #known = new Map<number, string>();

  constructor(source: KeySource) {
    this.#source = source;
  }

  /** The step's key, or undefined when a part is unknown (a step type missing, an input not produced yet). */
  key(index: number): string | undefined {
    const stored = this.#source.state(index)?.key;
    if (stored !== undefined) return stored;
    const known = this.#known.get(index);
    if (known !== undefined) return known;
    const key = hashParts(this.parts(index));
    if (key !== undefined) this.#known.set(index, key);
    return key;
  }

  /** The parts of the step's key. */
  parts(index: number): KeyParts {
    const source = this.#source;
    const step = source.step(index);
    const inputs: Record<string, string | undefined> = {};
    for (const name of Object.keys(step.inputs).sort()) {
      inputs[name] = this.#identity(step.inputs[name] as InputReference);
    }
    const reads = step.stepType?.files !== undefined;
    const files = source.state(index)?.files;
    return {
      slug: step.slug,
      fingerprint: source.fingerprint(index),
      params: paramsText(step),
      strategy: strategyText(step.strategy, step.stepType?.mode),
      inputs,
      files: reads ? files?.map(fileIdentityText).sort() : [],
    };
  }

  /** Forgets remembered keys (after a step's files or output changed). */
  forget(index: number): void {
    this.#known.delete(index);
  }

  #identity(reference: InputReference): string | undefined {
    if ('input' in reference) {
      const ref = this.#source.input(reference.input);
      return ref === undefined ? undefined : `ref:${ref}`;
    }
    if ('ref' in reference) return `ref:${reference.ref}`;
    const producer = this.#source.indexOf(reference.step);
    if (producer === undefined) return undefined;
    if (this.#source.step(producer).stepType?.cacheable !== false) {
      const key = this.key(producer);
      return key === undefined ? undefined : `key:${key}`;
    }
    const output = this.#source.state(producer)?.output;
    return output === undefined ? undefined : `ref:${output}`;
  }
}

/** The key made of `parts`, or undefined when one is unknown. */
export function hashParts(parts: KeyParts): string | undefined {
  if (parts.fingerprint === undefined || parts.files === undefined) return undefined;
  const texts = ['stepwise.key/1', parts.slug, parts.fingerprint, parts.params, parts.strategy];
  for (const [name, identity] of Object.entries(parts.inputs)) {
    if (identity === undefined) return undefined;
    texts.push(`${name}=${identity}`);
  }
  texts.push(...parts.files);
  return sha256(texts.join('\0'));
}

/** The params as canonical JSON, or the raw config's when the params are not JSON (a Map, a BigInt). */
function paramsText(step: KeyStep): string {
  const params = step.params === undefined ? undefined : canonicalJson(step.params);
  return params === undefined ? `config:${canonicalJson(step.config) ?? ''}` : `params:${params}`;
}

/** The strategy fields a step's function can observe: how a streaming step's input is cut into chunks and partitions. */
export function resultStrategy(strategy: StepStrategy, mode: StepMode | undefined): Record<string, number> {
  if (mode !== 'streaming') return {};
  const fields: Record<string, number> = {};
  if (strategy.chunkRows !== undefined) fields.chunkRows = strategy.chunkRows;
  if (strategy.workers !== undefined) fields.workers = strategy.workers;
  return fields;
}

function strategyText(strategy: StepStrategy, mode: StepMode | undefined): string {
  return canonicalJson(resultStrategy(strategy, mode)) ?? '';
}

/** The {@link KeyStep}s of a workflow document, their types looked up in `registry` (an earlier run's record). */
export function documentKeySteps(document: WorkflowDocument, registry: StepRegistry): KeyStep[] {
  return document.steps.map((step, index) => {
    const stepType = registry.get(step.type);
    const parsed = stepType?.params.safeParse(step.config);
    return {
      id: step.id,
      index,
      slug: step.type,
      stepType,
      params: parsed?.success === true ? parsed.data : undefined,
      config: step.config,
      strategy: step.strategy ?? {},
      inputs: effectiveInputs(document.steps, index, stepType?.inputType !== undefined),
    };
  });
}

/** A key source over a run record's steps: the document's steps, its fingerprints, inputs and step states. */
export function recordKeySource(
  record: {
    workflow: WorkflowDocument;
    fingerprints?: Record<string, string>;
    inputs: Record<string, string>;
    steps: StepRun[];
  },
  registry: StepRegistry,
): KeySource {
  const steps = documentKeySteps(record.workflow, registry);
  const indexOf = new Map(steps.map((step) => [step.id, step.index]));
  const states = new Map(record.steps.map((step) => [step.id, step]));
  return {
    step: (index) => steps[index] as KeyStep,
    indexOf: (id) => indexOf.get(id),
    fingerprint: (index) => {
      const step = steps[index] as KeyStep;
      // a record from before fingerprints were kept: take the type as it is now
      return (
        record.fingerprints?.[step.slug] ?? (step.stepType === undefined ? undefined : fingerprintOf(step.stepType))
      );
    },
    input: (name) => record.inputs[name],
    state: (index) => states.get((steps[index] as KeyStep).id),
  };
}

/** The files a step reads, as its type's `files` hook tells now; undefined when it reads none or the hook throws. */
export async function identifyStepFiles(step: KeyStep): Promise<FileIdentity[] | undefined> {
  const hook = step.stepType?.files;
  if (hook === undefined || step.params === undefined) return undefined;
  try {
    return await hook.call(step.stepType, step.params as never);
  } catch {
    return undefined;
  }
}
