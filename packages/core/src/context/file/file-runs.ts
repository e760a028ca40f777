import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCode } from '../../errors/codes.js';
import { describeValue, StepwiseError } from '../../errors/stepwise-error.js';
import type { RunJournalEntry, RunRecord, RunSummary } from '../../model/run.js';
import { assertRunId, isRunId } from '../ref.js';
import { pageRuns } from '../run-query.js';
import { applyUpdate, checkAppend, runJson, runNotFound, summaryOf } from '../run-records.js';
import type { RunPage, RunQuery, RunUpdate, StoredRun, SyncRunStore } from '../run-store.js';
import { appendLine, namesIn, readFileIfExists, removeFile, writeFileAtomic } from './atomic-file.js';

const RECORD_SUFFIX = '.json';
const JOURNAL_SUFFIX = '.journal';
const decoder = new TextDecoder();

/** One line of a journal file: the entries and the update of one `append`. */
interface JournalLine {
  entries: RunJournalEntry[];
  update?: RunUpdate;
}

/**
 * Run records in a directory, shared by every process that opens it: `<runId>.json` is the record
 * saved last (written atomically), `<runId>.journal` the entries appended since, one JSON line per
 * `append` (written with one append and flushed to disk). A save replaces the record, then removes
 * the journal. Listing reads every record: fine for a project's runs, a server keeps thousands in SQL.
 * The runs of a {@link FileStore}.
 */
export class FileRunStore implements SyncRunStore {
  /** The directory, absolute. */
  readonly dir: string;

  /** Opens (and creates, when missing) the directory. */
  constructor(dir: string) {
    this.dir = resolve(dir);
    mkdirSync(this.dir, { recursive: true });
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_RECORD_INVALID` */
  save(record: RunRecord): void {
    assertRunId((record as Partial<RunRecord> | null)?.id);
    summaryOf(record);
    writeFileAtomic(this.dir, record.id + RECORD_SUFFIX, `${runJson(record.id, record)}\n`);
    // After the new record: a crash in between leaves entries the record already holds (applied again, harmlessly).
    removeFile(join(this.dir, record.id + JOURNAL_SUFFIX));
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND`, `RUN_RECORD_INVALID` */
  append(runId: string, entries: readonly RunJournalEntry[], update?: RunUpdate): void {
    assertRunId(runId);
    checkAppend(runId, entries, update);
    if (!existsSync(join(this.dir, runId + RECORD_SUFFIX))) throw runNotFound(runId);
    const line: JournalLine = update === undefined ? { entries: [...entries] } : { entries: [...entries], update };
    appendLine(join(this.dir, runId + JOURNAL_SUFFIX), `${runJson(runId, line)}\n`);
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `STORE_CORRUPT` */
  load(runId: string): StoredRun | undefined {
    assertRunId(runId);
    const path = join(this.dir, runId + RECORD_SUFFIX);
    // A save between reading the record and its journal would pair the old record with no journal
    // (the save removes it): read the record again after the journal, until it did not change.
    let bytes = readFileIfExists(path);
    let lines: JournalLine[] = [];
    for (;;) {
      if (bytes === undefined) return undefined;
      lines = this.#journal(runId);
      const again = readFileIfExists(path);
      if (again !== undefined && sameBytes(bytes, again)) break;
      bytes = again;
    }
    const record = parse(runId, 'record', decoder.decode(bytes)) as RunRecord;
    let summary: RunSummary;
    try {
      summary = summaryOf(record);
    } catch (cause) {
      throw damaged(runId, `its record ${(cause as Error).message}`, cause);
    }
    const journal: RunJournalEntry[] = [];
    for (const line of lines) {
      journal.push(...line.entries);
      summary = applyUpdate(summary, line.update);
    }
    return { summary, record, journal };
  }

  /** Summaries of the readable runs; a damaged record is left out of listings (`load` reports it). */
  list(query?: RunQuery): RunPage {
    const summaries: RunSummary[] = [];
    for (const id of namesIn(this.dir, RECORD_SUFFIX)) {
      if (!isRunId(id)) continue;
      try {
        const stored = this.load(id);
        if (stored !== undefined) summaries.push(stored.summary);
      } catch {
        // damaged: not listed
      }
    }
    return pageRuns(summaries, query);
  }

  /** @throws StepwiseError `RUN_ID_INVALID` */
  delete(runId: string): boolean {
    assertRunId(runId);
    const existed = removeFile(join(this.dir, runId + RECORD_SUFFIX));
    removeFile(join(this.dir, runId + JOURNAL_SUFFIX));
    return existed;
  }

  /** The journal's lines; a last line cut short (the machine stopped mid-write) is ignored. */
  #journal(runId: string): JournalLine[] {
    const bytes = readFileIfExists(join(this.dir, runId + JOURNAL_SUFFIX));
    if (bytes === undefined) return [];
    const texts = decoder.decode(bytes).split('\n');
    const lines: JournalLine[] = [];
    for (const [index, text] of texts.entries()) {
      if (text === '') continue;
      try {
        lines.push(JSON.parse(text) as JournalLine);
      } catch (cause) {
        if (index === texts.length - 1) break;
        throw damaged(runId, `journal line ${index + 1} is not JSON`, cause);
      }
    }
    return lines;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

function parse(runId: string, what: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw damaged(
      runId,
      `its ${what} is not JSON (${cause instanceof Error ? cause.message : describeValue(cause)})`,
      cause,
    );
  }
}

function damaged(runId: string, why: string, cause: unknown): StepwiseError {
  return new StepwiseError(ErrorCode.STORE_CORRUPT, `Run record "${runId}" is damaged: ${why}.`, {
    cause,
    details: { runId },
  });
}
