import type { ValueMeta } from '../value-store.js';

/** The metadata file of a ref, as JSON text (readable by people: ISO date, indented). */
export function toMetaFile(ref: string, meta: ValueMeta): string {
  const file: Record<string, unknown> = { ref, type: meta.type, createdAt: new Date(meta.createdAt).toISOString() };
  if (meta.producer) file.producer = { runId: meta.producer.runId, stepId: meta.producer.stepId };
  if (meta.rows !== undefined) file.rows = meta.rows;
  if (meta.bytes !== undefined) file.bytes = meta.bytes;
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The metadata in a metadata file, or a sentence saying what is wrong with it. */
export function parseMetaFile(text: string): ValueMeta | string {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch (error) {
    return `not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (file === null || typeof file !== 'object') return 'not a JSON object';
  const { type, createdAt, producer, rows, bytes } = file as Record<string, unknown>;
  if (typeof type !== 'string' || type === '') return 'no "type"';
  const time = typeof createdAt === 'string' ? Date.parse(createdAt) : Number.NaN;
  if (Number.isNaN(time)) return 'no valid "createdAt"';
  const meta: ValueMeta = { type, createdAt: time };
  if (isProducer(producer)) meta.producer = { runId: producer.runId, stepId: producer.stepId };
  if (typeof rows === 'number') meta.rows = rows;
  if (typeof bytes === 'number') meta.bytes = bytes;
  return meta;
}

function isProducer(value: unknown): value is { runId: string; stepId: string } {
  if (value === null || typeof value !== 'object') return false;
  const { runId, stepId } = value as Record<string, unknown>;
  return typeof runId === 'string' && typeof stepId === 'string';
}
