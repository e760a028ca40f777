import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCode } from '../../errors/codes.js';
import { describeValue, StepwiseError } from '../../errors/stepwise-error.js';
import type { RunJournalEntry, RunRecord, RunSummary } from '../../model/run.js';
import { assertRunId, isRunId } from '../ref.js';
import { pageRuns } from '../run-query.js';
import { applyUpdate, checkAppend, runJson, runNotFound, summaryOf } from '../run-records.js';
import type {
  AppendOptions,
  FlushOptions,
  RunPage,
  RunQuery,
  RunUpdate,
  StoredRun,
  SyncRunStore,
} from '../run-store.js';
import { namesIn, readFileIfExists, removeFile, writeFileAtomic } from './atomic-file.js';
import { bootId, isThisBoot } from './boot-id.js';
import { appendToJournal, appendToSameJournal, closeJournal, isJournalOpen, journalEnd } from './journal-file.js';

const RECORD_SUFFIX = '.json';
const JOURNAL_SUFFIX = '.journal';
const decoder = new TextDecoder();

/** One line of a journal file: the entries and the update of one `append`, or of a `flush`. */
interface JournalLine {
  entries: RunJournalEntry[];
  update?: RunUpdate;
  /** Written with `durable: false`: the {@link bootId} of the machine that wrote it, not flushed to disk then. */
  boot?: string;
  /** Written by a flush: the lines that start before this byte are on disk, and so are the values they name. */
  synced?: number;
}

/**
 * Run records in a directory, shared by every process that opens it: `<runId>.json` is the record
 * saved last (written atomically), `<runId>.journal` the entries appended since, one JSON line per
 * `append` (written with one append and flushed to disk). A save replaces the record, then removes
 * the journal. Listing reads every record: fine for a project's runs, a server keeps thousands in SQL.
 * The runs of a {@link FileStore}.
 *
 * An append with `durable: false` is written but not flushed: every process reads it at once and a
 * killed process loses nothing, but an OS crash may lose it, or keep it and lose the values it names.
 * So the line carries the machine's boot id, and {@link FileRunStore.flush} appends a line saying up
 * to which byte the journal is on disk, with the values its lines name. A reader takes a line not
 * flushed only when it was written since the machine last started; after a restart, the run reads
 * as it was at its last flush.
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
    const journal = join(this.dir, record.id + JOURNAL_SUFFIX);
    closeJournal(journal);
    removeFile(journal);
  }

  /**
   * Appends one line; flushed to disk before it returns unless `durable: false`.
   * @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND`, `RUN_RECORD_INVALID`
   */
  append(runId: string, entries: readonly RunJournalEntry[], update?: RunUpdate, options?: AppendOptions): void {
    assertRunId(runId);
    checkAppend(runId, entries, update);
    const journal = join(this.dir, runId + JOURNAL_SUFFIX);
    // an open journal was appended to since its record was saved (a save or delete here closes it)
    if (!isJournalOpen(journal) && !existsSync(join(this.dir, runId + RECORD_SUFFIX))) throw runNotFound(runId);
    const line: JournalLine = { entries: [...entries] };
    if (update !== undefined) line.update = update;
    const durable = options?.durable !== false;
    if (!durable) line.boot = bootId();
    appendToJournal(journal, `${runJson(runId, line)}\n`, { flush: durable });
  }

  /**
   * Makes the lines appended so far durable once `after` resolved: flushes the journal to disk with a
   * line saying up to where it is (and `update`, when given). A journal replaced meanwhile (a save,
   * whose record holds it all) gets only the update.
   * @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND`; the rejection of `after`; the file system's error
   */
  flush(runId: string, { after, update }: FlushOptions = {}): Promise<void> | undefined {
    assertRunId(runId);
    const path = join(this.dir, runId + JOURNAL_SUFFIX);
    const end = journalEnd(path);
    const commit = (): undefined => {
      const line: JournalLine = { entries: [] };
      if (update !== undefined) line.update = update;
      if (end !== undefined && end.size > 0) {
        line.synced = end.size;
        if (appendToSameJournal(path, end, `${runJson(runId, line)}\n`)) return undefined;
        delete line.synced;
      }
      if (update !== undefined) this.append(runId, [], update);
      return undefined;
    };
    if (after === undefined) return commit();
    return Promise.resolve(after).then(commit);
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
    const journal = join(this.dir, runId + JOURNAL_SUFFIX);
    closeJournal(journal);
    removeFile(journal);
    return existed;
  }

  /**
   * The journal's lines that count: every line flushed to disk, and the others only when this
   * machine wrote them since it last started. A last line cut short (a write cut off) is ignored.
   */
  #journal(runId: string): JournalLine[] {
    const bytes = readFileIfExists(join(this.dir, runId + JOURNAL_SUFFIX));
    if (bytes === undefined) return [];
    const lines: { start: number; line: JournalLine }[] = [];
    let synced = 0;
    for (let start = 0, number = 1; start < bytes.byteLength; number += 1) {
      const newline = bytes.indexOf(0x0a, start);
      const end = newline === -1 ? bytes.byteLength : newline;
      const begin = start;
      start = end + 1;
      if (end === begin) continue;
      let line: JournalLine;
      try {
        line = JSON.parse(decoder.decode(bytes.subarray(begin, end))) as JournalLine;
      } catch (cause) {
        if (newline === -1) break;
        throw damaged(runId, `journal line ${number} is not JSON`, cause);
      }
      lines.push({ start: begin, line });
      if (typeof line.synced === 'number') synced = Math.max(synced, line.synced);
    }
    return lines
      .filter(({ start, line }) => line.boot === undefined || start < synced || isThisBoot(line.boot))
      .map(({ line }) => line);
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
