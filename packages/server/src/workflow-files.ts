import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  errorCategory,
  type StepRegistry,
  stringifyWorkflow,
  type ValidationIssue,
  validateDocument,
  type WorkflowDocument,
} from '@stepwise/core';
import { DocumentLimits, ID_PATTERN, type WorkflowSummary } from '@stepwise/core/model';
import { HttpError } from './http-error.js';

/** A saved workflow: the document as saved, its version tag, and its validation issues. */
export interface SavedWorkflow {
  document: WorkflowDocument;
  etag: string;
  issues: ValidationIssue[];
}

/** Whether `id` can name a saved workflow (and so a file): a document id. */
export function isWorkflowId(id: string): boolean {
  return id.length <= DocumentLimits.maxIdLength && ID_PATTERN.test(id);
}

/**
 * The workflows folder: one `<id>.json` per workflow, in core's canonical text (byte-stable, so it
 * diffs in git), written atomically (a temporary file renamed over it). Every change names the
 * version it changes (`If-Match`): a save over a file changed since answers 409 with both versions.
 */
export class WorkflowFiles {
  readonly dir: string;
  readonly #registry: StepRegistry;

  constructor(dir: string, registry: StepRegistry) {
    this.dir = dir;
    this.#registry = registry;
  }

  /** Every saved workflow, by id; a file that is not a document is listed with its id only. */
  list(): WorkflowSummary[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const ids = names
      .filter((name) => name.endsWith('.json') && isWorkflowId(name.slice(0, -5)))
      .map((name) => name.slice(0, -5));
    return ids.sort().map((id) => {
      const path = this.#path(id);
      const updatedAt = statSync(path).mtime.toISOString();
      const document = parseOrUndefined(readFileSync(path, 'utf8'));
      const steps = Array.isArray(document?.steps) ? document.steps.length : 0;
      const text = (value: unknown) => (typeof value === 'string' ? value : '');
      return { id, name: text(document?.name) || id, description: text(document?.description), steps, updatedAt };
    });
  }

  /** @throws HttpError 404 `WORKFLOW_NOT_FOUND` */
  get(id: string): SavedWorkflow {
    const bytes = this.#read(id);
    const document = parseOrUndefined(bytes.toString('utf8'));
    if (document === undefined)
      throw new HttpError(500, 'WORKFLOW_UNREADABLE', `The file of workflow "${id}" is not a JSON object.`);
    return { document, etag: etagOf(bytes), issues: validateDocument(document, this.#registry) };
  }

  /** @throws HttpError 409 `WORKFLOW_EXISTS` when a workflow of the document's id is saved already */
  create(document: unknown): SavedWorkflow {
    const id = documentId(document);
    const bytes = this.#bytes(document);
    this.#writeNew(id, bytes);
    return this.#saved(document as WorkflowDocument, bytes);
  }

  /**
   * Replaces workflow `id` with `document` when `ifMatch` is its current version.
   * @throws HttpError 428 without `ifMatch`, 404, 409 `WORKFLOW_CONFLICT` with both versions
   */
  save(id: string, document: unknown, ifMatch: string | undefined): SavedWorkflow {
    this.#current(id, ifMatch, document);
    if (documentId(document) !== id)
      throw new HttpError(
        400,
        'FIELD_INVALID',
        `body.id: the document's id "${documentId(document)}" is not "${id}"; rename the workflow instead.`,
        { body: { field: 'body.id' } },
      );
    const bytes = this.#bytes(document);
    writeAtomically(this.#path(id), bytes, this.dir);
    return this.#saved(document as WorkflowDocument, bytes);
  }

  /** Saves workflow `id` as `newId` (the document's id too) and removes the old file. */
  rename(id: string, newId: string, ifMatch: string | undefined): SavedWorkflow {
    const current = this.#current(id, ifMatch, undefined);
    if (!isWorkflowId(newId)) throw invalidId('body.id', newId);
    const document = { ...current.document, id: newId };
    const bytes = this.#bytes(document);
    this.#writeNew(newId, bytes);
    rmSync(this.#path(id), { force: true });
    return this.#saved(document, bytes);
  }

  /** Removes workflow `id` when `ifMatch` is its current version. */
  delete(id: string, ifMatch: string | undefined): void {
    this.#current(id, ifMatch, undefined);
    rmSync(this.#path(id), { force: true });
  }

  #path(id: string): string {
    if (!isWorkflowId(id)) throw invalidId('params.id', id);
    return join(this.dir, `${id}.json`);
  }

  #read(id: string): Buffer {
    try {
      return readFileSync(this.#path(id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new HttpError(404, 'WORKFLOW_NOT_FOUND', `There is no saved workflow "${id}".`);
      throw error;
    }
  }

  /** The workflow as saved, when `ifMatch` names its version. */
  #current(id: string, ifMatch: string | undefined, mine: unknown): SavedWorkflow {
    if (ifMatch === undefined)
      throw new HttpError(
        428,
        'PRECONDITION_REQUIRED',
        `Send If-Match with the ETag of workflow "${id}" (from GET /api/workflows/${id}), so that a newer save is not overwritten.`,
      );
    const current = this.get(id);
    if (ifMatch !== '*' && ifMatch.replace(/^W\//, '') !== current.etag)
      throw new HttpError(
        409,
        'WORKFLOW_CONFLICT',
        `Workflow "${id}" was changed since the version you edited (If-Match ${ifMatch}, now ${current.etag}).`,
        { body: { ...(mine === undefined ? {} : { mine }), theirs: current } },
      );
    return current;
  }

  /** The file's text: core's canonical text for a document of the right shape, else 2-space JSON. */
  #bytes(document: unknown): Buffer {
    const refused = validateDocument(document, this.#registry).find(
      (issue) => issue.code === 'KEY_FORBIDDEN' || errorCategory(issue.code) === 'too_large',
    );
    if (refused !== undefined)
      throw new HttpError(errorCategory(refused.code) === 'too_large' ? 413 : 400, refused.code, refused.message);
    let text: string;
    try {
      text = stringifyWorkflow(document as WorkflowDocument);
    } catch {
      text = `${JSON.stringify(document, null, 2)}\n`;
    }
    return Buffer.from(text, 'utf8');
  }

  #writeNew(id: string, bytes: Buffer): void {
    const path = this.#path(id);
    mkdirSync(this.dir, { recursive: true });
    const temporary = temporaryPath(path);
    writeFileSync(temporary, bytes, { flag: 'wx' });
    try {
      // a hard link fails when the name is taken: created whole, and never over another workflow
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new HttpError(409, 'WORKFLOW_EXISTS', `A workflow "${id}" is saved already; choose another id.`);
      throw error;
    } finally {
      rmSync(temporary, { force: true });
    }
  }

  #saved(document: WorkflowDocument, bytes: Buffer): SavedWorkflow {
    const saved = JSON.parse(bytes.toString('utf8')) as WorkflowDocument;
    return { document: saved ?? document, etag: etagOf(bytes), issues: validateDocument(saved, this.#registry) };
  }
}

/** The version tag of a file's bytes: a quoted hash, as `ETag` and `If-Match` carry it. */
export function etagOf(bytes: Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
}

function writeAtomically(path: string, bytes: Buffer, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const temporary = temporaryPath(path);
  try {
    writeFileSync(temporary, bytes, { flag: 'wx' });
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

function temporaryPath(path: string): string {
  return `${path}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2)}.tmp`;
}

function parseOrUndefined(text: string): WorkflowDocument | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as WorkflowDocument)
      : undefined;
  } catch {
    return undefined;
  }
}

function documentId(document: unknown): string {
  const id = (document as { id?: unknown } | null)?.id;
  if (document === null || typeof document !== 'object' || Array.isArray(document))
    throw new HttpError(400, 'DOCUMENT_INVALID', 'body: expected a workflow document (a JSON object).');
  if (typeof id !== 'string' || !isWorkflowId(id)) throw invalidId('body.id', id);
  return id;
}

function invalidId(field: string, id: unknown): HttpError {
  return new HttpError(
    400,
    'FIELD_INVALID',
    `${field}: a workflow id is 1 to ${DocumentLimits.maxIdLength} letters, digits, "_" and "-", starting with a letter or "_"; got ${JSON.stringify(id)?.slice(0, 140)}.`,
    { body: { field } },
  );
}
