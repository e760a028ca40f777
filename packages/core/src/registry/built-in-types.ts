import { isPlainObject, type JsonValue, jsonProblem } from '../model/json.js';
import type { DataType } from './data-type.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function jsonBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function previewJson(value: unknown, n: number): JsonValue {
  if (Array.isArray(value)) return value.slice(0, n) as JsonValue;
  return value as JsonValue;
}

/**
 * Any plain JSON value, checked all the way down by {@link jsonProblem} (the same in every store):
 * null, boolean, finite number, string, array or plain object, no cycles, at most 256 levels.
 */
export const JsonType: DataType<JsonValue> = {
  name: 'JSON',
  description:
    'A plain JSON value: null, boolean, finite number, string, array or plain object (no cycles, at most 256 levels).',
  is: (value): value is JsonValue => jsonProblem(value) === undefined,
  explain: (value) => {
    const problem = jsonProblem(value);
    return problem === undefined
      ? undefined
      : `${problem.path} is ${problem.found}; JSON holds only null, booleans, finite numbers, strings, arrays and plain objects, without cycles`;
  },
  encode: jsonBytes,
  decode: (bytes) => JSON.parse(decoder.decode(bytes)) as JsonValue,
  preview: previewJson,
  size: (value) => (Array.isArray(value) ? { rows: value.length } : {}),
  rows: (value) => (Array.isArray(value) ? value : [value]),
  fromRows: (rows) => rows as JsonValue[],
  chunks: function* (value, chunkRows) {
    const items = Array.isArray(value) ? value : [value];
    for (let i = 0; i < items.length; i += chunkRows) yield items.slice(i, i + chunkRows);
  },
  concat: (chunks) => chunks.flatMap((c) => (Array.isArray(c) ? c : [c])),
};

/** A string. */
export const TextType: DataType<string> = {
  name: 'Text',
  description: 'A string of text.',
  is: (value): value is string => typeof value === 'string',
  encode: (value) => encoder.encode(value),
  decode: (bytes) => decoder.decode(bytes),
  preview: (value, n) => value.split('\n').slice(0, n).join('\n'),
  size: (value) => ({ bytes: encoder.encode(value).byteLength }),
  rows: (value) => value.split('\n'),
  fromRows: (rows) => rows.map(String).join('\n'),
};

/** Raw bytes. */
export const BytesType: DataType<Uint8Array> = {
  name: 'Bytes',
  description: 'Raw bytes (a Uint8Array).',
  is: (value): value is Uint8Array => value instanceof Uint8Array,
  encode: (value) => value,
  decode: (bytes) => bytes,
  preview: (value, n) => ({ bytes: value.byteLength, head: Array.from(value.subarray(0, n)) }),
  size: (value) => ({ bytes: value.byteLength }),
};

/** A reference to a file: its path, and optionally its media type. */
export interface FileReference {
  path: string;
  mediaType?: string;
}

/** A file on disk, by path (the file is not copied). */
export const FileReferenceType: DataType<FileReference> = {
  name: 'FileReference',
  description: 'A reference to a file: { path, mediaType? }.',
  is: (value): value is FileReference =>
    isPlainObject(value) && typeof value.path === 'string' && value.path.length > 0,
  encode: jsonBytes,
  decode: (bytes) => JSON.parse(decoder.decode(bytes)) as FileReference,
  preview: (value) => ({ ...value }),
};

/** Anything; encoded as JSON when it must leave the process. */
export const AnyType: DataType<unknown> = {
  name: 'Any',
  description: 'Any value. Persisted as JSON.',
  is: (_value): _value is unknown => true,
  encode: jsonBytes,
  decode: (bytes) => JSON.parse(decoder.decode(bytes)) as unknown,
  preview: previewJson,
  rows: (value) => (Array.isArray(value) ? value : [value]),
  fromRows: (rows) => rows,
};

/** The data types every registry starts with, each as the registry holds it: a {@link DataType} of its own values. */
export const builtInDataTypes: readonly DataType[] = [JsonType, TextType, BytesType, FileReferenceType, AnyType];
