import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { Step } from './step.js';

/**
 * Where each step id sits in a workflow's step list (the first, when ids repeat), built when first
 * asked for and forgotten by any change that moves or renames steps; and the free ids new steps get.
 */
export class StepIds {
  #positions: Map<string, number> | undefined;
  readonly #nextSuffix = new Map<string, number>();

  /** The position of `id` in `steps`, or undefined. */
  indexOf(steps: readonly Step[], id: string): number | undefined {
    if (this.#positions === undefined) {
      const positions = new Map<string, number>();
      steps.forEach((step, index) => {
        if (!positions.has(step.id)) positions.set(step.id, index);
      });
      this.#positions = positions;
    }
    return this.#positions.get(id);
  }

  /**
   * The position of `id` in `steps`.
   * @throws StepwiseError `STEP_NOT_FOUND`
   */
  require(steps: readonly Step[], id: string, workflowId: string): number {
    const index = this.indexOf(steps, id);
    if (index !== undefined) return index;
    throw new StepwiseError(ErrorCode.STEP_NOT_FOUND, `Workflow "${workflowId}" has no step "${id}".`, {
      details: { stepId: id },
    });
  }

  /** Notes a step appended at `index`, so appending never rebuilds the positions. */
  appended(id: string, index: number): void {
    if (this.#positions && !this.#positions.has(id)) this.#positions.set(id, index);
  }

  /** Forgets every position (after a removal, a move or a rename). */
  forget(): void {
    this.#positions = undefined;
  }

  /** The first free id of `slug`, `slug_2`, `slug_3`, ...; never one it handed out before. */
  free(steps: readonly Step[], slug: string): string {
    let n = this.#nextSuffix.get(slug) ?? 1;
    let id = n === 1 ? slug : `${slug}_${n}`;
    while (this.indexOf(steps, id) !== undefined) id = `${slug}_${++n}`;
    this.#nextSuffix.set(slug, n + 1);
    return id;
  }
}
