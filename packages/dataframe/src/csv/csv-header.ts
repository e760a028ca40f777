import { closeSync, openSync, readSync } from 'node:fs';
import { type CsvRecord, CsvTokenizer } from './csv-tokenizer.js';

/** How many bytes {@link peekCsvHeader} reads at most. */
const HEADER_BYTES = 64 * 1024;
/** The block {@link peekCsvHeader} reads first, before the whole {@link HEADER_BYTES}. */
const FIRST_BYTES = 4 * 1024;

/** The first records of a CSV file: the header's fields, the complete records after it, and whether that is the whole file. */
export interface CsvPeek {
  header: string[];
  records: CsvRecord[];
  whole: boolean;
}

/**
 * The header and the first complete records of a CSV file, from its first `bytes` bytes
 * (synchronously). Undefined when they cannot be told from that block: an empty file, a header
 * longer than the block, invalid UTF-8 or a quoting error (a full read reports those with the line).
 */
export function peekCsvRecords(absolutePath: string, delimiter = ',', bytes = HEADER_BYTES): CsvPeek | undefined {
  let block: Buffer;
  let whole: boolean;
  try {
    const fd = openSync(absolutePath, 'r');
    try {
      block = Buffer.alloc(bytes);
      const read = readSync(fd, block, 0, bytes, 0);
      whole = read < bytes;
      block = block.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  return recordsOf(block, whole, delimiter);
}

/**
 * The column names of a CSV file's header line, read from its first block only (synchronously, for
 * validation). Undefined when they cannot be told from that block: an empty file, a header longer
 * than the block, invalid UTF-8 or a quoting error (the run reports those with the line).
 */
export function peekCsvHeader(absolutePath: string, delimiter = ','): string[] | undefined {
  // nearly every header ends in the first few kB: tokenizing a whole block for it costs ~20 ms cold
  return (peekCsvRecords(absolutePath, delimiter, FIRST_BYTES) ?? peekCsvRecords(absolutePath, delimiter))?.header;
}

function recordsOf(block: Buffer, whole: boolean, delimiter: string): CsvPeek | undefined {
  try {
    // `stream` lets the block end inside a character; the decoder drops a leading BOM, as the reader's does.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(block, { stream: !whole });
    const tokenizer = new CsvTokenizer(delimiter);
    const out: CsvRecord[] = [];
    tokenizer.push(text, out);
    // only records ended by a line break are out: a last line the block cuts short is not among them
    let complete = whole;
    if (whole) {
      try {
        tokenizer.end(out);
      } catch (error) {
        // an unterminated quote after the header: the header still stands, a full read reports the rest
        if (out.length === 0) throw error;
        complete = false;
      }
    }
    const [first, ...records] = out;
    return first ? { header: first.fields, records, whole: complete } : undefined;
  } catch {
    return undefined;
  }
}
