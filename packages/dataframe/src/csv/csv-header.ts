import { closeSync, openSync, readSync } from 'node:fs';
import { type CsvRecord, CsvTokenizer } from './csv-tokenizer.js';

/** How many bytes {@link peekCsvHeader} reads at most. */
const HEADER_BYTES = 64 * 1024;

/**
 * The column names of a CSV file's header line, read from its first block only (synchronously, for
 * validation). Undefined when they cannot be told from that block: an empty file, a header longer
 * than the block, invalid UTF-8 or a quoting error (the run reports those with the line).
 */
export function peekCsvHeader(absolutePath: string, delimiter = ','): string[] | undefined {
  let block: Buffer;
  let whole: boolean;
  try {
    const fd = openSync(absolutePath, 'r');
    try {
      block = Buffer.alloc(HEADER_BYTES);
      const read = readSync(fd, block, 0, HEADER_BYTES, 0);
      whole = read < HEADER_BYTES;
      block = block.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  return headerOf(block, whole, delimiter);
}

function headerOf(block: Buffer, whole: boolean, delimiter: string): string[] | undefined {
  try {
    // `stream` lets the block end inside a character; the decoder drops a leading BOM, as the reader's does.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(block, { stream: !whole });
    const tokenizer = new CsvTokenizer(delimiter);
    const out: CsvRecord[] = [];
    tokenizer.push(text, out);
    if (out.length === 0 && whole) tokenizer.end(out);
    return out[0]?.fields;
  } catch {
    return undefined;
  }
}
