/**
 * A store written outside core, only against what @stepwise/core exports: every method answers a
 * promise (as an object store or a database would), values are kept as their data type's bytes
 * (as S3 would hold them), run records as JSON text. What a user's own store looks like.
 */
import {
  applyUpdate,
  assertCacheKey,
  assertRef,
  assertRunId,
  type CacheIndex,
  checkAppend,
  type DataTypeLookup,
  pageRuns,
  RefNotFoundError,
  type RunJournalEntry,
  type RunPage,
  type RunQuery,
  type RunRecord,
  type RunStore,
  type RunSummary,
  type RunUpdate,
  runJson,
  StepwiseError,
  type Store,
  type StoredRun,
  summaryOf,
  type ValueMeta,
  type ValueStore,
} from '@stepwise/core';

const later = <T>(make: () => T): Promise<T> =>
  new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(make());
      } catch (error) {
        reject(error);
      }
    }),
  );

class BytesValues implements ValueStore {
  readonly #objects = new Map<string, { bytes: Uint8Array; meta: ValueMeta }>();
  #types: DataTypeLookup | undefined;

  bind(registry: DataTypeLookup): void {
    this.#types = registry;
  }

  write(ref: string, value: unknown, meta: ValueMeta): Promise<void> {
    assertRef(ref);
    const type = this.#type(meta.type);
    const bytes = type.encode(value);
    const rows = type.size?.(value).rows;
    const stored: ValueMeta = { ...meta, bytes: bytes.byteLength, ...(rows === undefined ? {} : { rows }) };
    return later(() => void this.#objects.set(ref, { bytes: bytes.slice(), meta: stored }));
  }

  read(ref: string): Promise<unknown> {
    assertRef(ref);
    return later(() => {
      const object = this.#objects.get(ref);
      if (object === undefined) throw new RefNotFoundError(ref);
      return this.#type(object.meta.type).decode(object.bytes.slice());
    });
  }

  has(ref: string): Promise<boolean> {
    assertRef(ref);
    return later(() => this.#objects.has(ref));
  }

  meta(ref: string): Promise<ValueMeta | undefined> {
    assertRef(ref);
    return later(() => this.#objects.get(ref)?.meta);
  }

  delete(ref: string): Promise<boolean> {
    assertRef(ref);
    return later(() => this.#objects.delete(ref));
  }

  list(): Promise<string[]> {
    return later(() => [...this.#objects.keys()]);
  }

  #type(name: string) {
    if (this.#types === undefined) throw new StepwiseError('STORE_UNBOUND', 'Bind a registry before writing values.');
    return this.#types.requireDataType(name);
  }
}

class TextRuns implements RunStore {
  readonly #runs = new Map<string, { record: string; journal: string[]; summary: RunSummary }>();

  save(record: RunRecord): Promise<void> {
    assertRunId(record?.id);
    const summary = summaryOf(record);
    const text = runJson(record.id, record);
    return later(() => void this.#runs.set(record.id, { record: text, journal: [], summary }));
  }

  append(runId: string, entries: readonly RunJournalEntry[], update?: RunUpdate): Promise<void> {
    assertRunId(runId);
    checkAppend(runId, entries, update);
    const texts = entries.map((entry) => runJson(runId, entry));
    return later(() => {
      const held = this.#runs.get(runId);
      if (held === undefined) throw new StepwiseError('RUN_NOT_FOUND', `Run "${runId}" is not in the store.`);
      held.journal.push(...texts);
      held.summary = applyUpdate(held.summary, update);
    });
  }

  load(runId: string): Promise<StoredRun | undefined> {
    assertRunId(runId);
    return later(() => {
      const held = this.#runs.get(runId);
      if (held === undefined) return undefined;
      const journal = held.journal.map((text) => JSON.parse(text) as RunJournalEntry);
      return { record: JSON.parse(held.record) as RunRecord, journal, summary: structuredClone(held.summary) };
    });
  }

  list(query?: RunQuery): Promise<RunPage> {
    const summaries = [...this.#runs.values()].map((held) => structuredClone(held.summary));
    return later(() => pageRuns(summaries, query));
  }

  delete(runId: string): Promise<boolean> {
    assertRunId(runId);
    return later(() => this.#runs.delete(runId));
  }
}

class MapCache implements CacheIndex {
  readonly #entries = new Map<string, string>();

  get(key: string): Promise<string | undefined> {
    assertCacheKey(key);
    return later(() => this.#entries.get(key));
  }

  set(key: string, ref: string): Promise<void> {
    assertCacheKey(key);
    assertRef(ref);
    return later(() => void this.#entries.set(key, ref));
  }

  keys(): Promise<string[]> {
    return later(() => [...this.#entries.keys()].sort());
  }

  delete(key: string): Promise<boolean> {
    assertCacheKey(key);
    return later(() => this.#entries.delete(key));
  }
}

/** A fresh store of the three parts above. */
export function bytesStore(): Store {
  return { values: new BytesValues(), runs: new TextRuns(), cache: new MapCache() };
}
