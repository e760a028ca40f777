import { RefNotFoundError } from '../../errors/stepwise-error.js';
import { assertRef } from '../ref.js';
import type { SyncValueStore, ValueMeta } from '../value-store.js';

interface Entry {
  value: unknown;
  meta: ValueMeta;
}

/**
 * Values in this process's memory, kept by reference (never copied): a put and a get cost a map
 * operation each. The values of a {@link MemoryStore}.
 */
export class MemoryValueStore implements SyncValueStore {
  readonly #entries = new Map<string, Entry>();

  /** @throws StepwiseError `REF_INVALID` */
  write(ref: string, value: unknown, meta: ValueMeta): void {
    assertRef(ref);
    this.#entries.set(ref, { value, meta });
  }

  /** @throws StepwiseError `REF_INVALID`, RefNotFoundError `REF_NOT_FOUND` */
  read(ref: string): unknown {
    assertRef(ref);
    const entry = this.#entries.get(ref);
    if (entry === undefined) throw new RefNotFoundError(ref);
    return entry.value;
  }

  /** @throws StepwiseError `REF_INVALID` */
  has(ref: string): boolean {
    assertRef(ref);
    return this.#entries.has(ref);
  }

  /** @throws StepwiseError `REF_INVALID` */
  meta(ref: string): ValueMeta | undefined {
    assertRef(ref);
    return this.#entries.get(ref)?.meta;
  }

  /** @throws StepwiseError `REF_INVALID` */
  delete(ref: string): boolean {
    assertRef(ref);
    return this.#entries.delete(ref);
  }

  list(): string[] {
    return [...this.#entries.keys()];
  }
}
