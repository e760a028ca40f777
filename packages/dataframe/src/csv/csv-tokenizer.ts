/** One CSV record: its fields and the (1-based) line it starts on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** Thrown by the tokenizer; the reader adds the file name. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

type State = 'start' | 'unquoted' | 'quoted' | 'after_quote';

/**
 * An incremental RFC 4180 tokenizer: feed it text in pieces of any size (a quoted field may span
 * pieces and lines); it emits whole records. Blank lines are skipped.
 */
export class CsvTokenizer {
  readonly #delimiter: number;
  #state: State = 'start';
  #pending = '';
  #fields: string[] = [];
  #line = 1;
  #recordLine = 1;
  #quoteLine = 1;
  #skipLf = false;
  #anyQuoted = false;

  constructor(delimiter = ',') {
    if (delimiter.length !== 1)
      throw new Error(`The CSV delimiter must be one character, got ${JSON.stringify(delimiter)}.`);
    this.#delimiter = delimiter.charCodeAt(0);
  }

  /** Tokenizes the next piece of text, appending finished records to `out`. */
  push(text: string, out: CsvRecord[]): void {
    let i = 0;
    const n = text.length;
    if (this.#skipLf && n > 0) {
      this.#skipLf = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    while (i < n) {
      if (this.#state === 'quoted') i = this.#quoted(text, i);
      else if (this.#state === 'after_quote') i = this.#afterQuote(text, i, out);
      else i = this.#unquoted(text, i, out);
    }
  }

  /** Ends the input: emits the last record. @throws CsvSyntaxError for an unterminated quote. */
  end(out: CsvRecord[]): void {
    if (this.#state === 'quoted') {
      throw new CsvSyntaxError(this.#quoteLine, 'unterminated quoted field (a " opened here is never closed)');
    }
    if (this.#state === 'start' && this.#fields.length === 0) return;
    // A field in progress (or the empty one after a trailing delimiter) ends with the input.
    this.#fields.push(this.#pending);
    this.#pending = '';
    this.#endRecord(out);
  }

  #unquoted(text: string, from: number, out: CsvRecord[]): number {
    if (this.#state === 'start' && text.charCodeAt(from) === QUOTE) {
      this.#state = 'quoted';
      this.#quoteLine = this.#line;
      this.#anyQuoted = true;
      return from + 1;
    }
    this.#state = 'unquoted';
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === this.#delimiter) {
        this.#fields.push(this.#pending + text.slice(from, i));
        this.#pending = '';
        this.#state = 'start';
        return i + 1;
      }
      if (c === LF || c === CR) {
        this.#fields.push(this.#pending + text.slice(from, i));
        this.#pending = '';
        return this.#newline(text, i, out);
      }
    }
    this.#pending += text.slice(from);
    return text.length;
  }

  #quoted(text: string, from: number): number {
    const close = text.indexOf('"', from);
    const end = close === -1 ? text.length : close;
    for (let i = from; i < end; i++) if (text.charCodeAt(i) === LF) this.#line++;
    this.#pending += text.slice(from, end);
    if (close === -1) return text.length;
    this.#state = 'after_quote';
    return close + 1;
  }

  #afterQuote(text: string, i: number, out: CsvRecord[]): number {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      this.#pending += '"';
      this.#state = 'quoted';
      return i + 1;
    }
    if (c === this.#delimiter) {
      this.#fields.push(this.#pending);
      this.#pending = '';
      this.#state = 'start';
      return i + 1;
    }
    if (c === LF || c === CR) {
      this.#fields.push(this.#pending);
      this.#pending = '';
      return this.#newline(text, i, out);
    }
    throw new CsvSyntaxError(this.#line, `unexpected character ${JSON.stringify(text[i])} after a closing quote`);
  }

  #newline(text: string, i: number, out: CsvRecord[]): number {
    this.#endRecord(out);
    this.#line++;
    this.#recordLine = this.#line;
    if (text.charCodeAt(i) === CR) {
      if (i + 1 >= text.length) this.#skipLf = true;
      else if (text.charCodeAt(i + 1) === LF) return i + 2;
    }
    return i + 1;
  }

  #endRecord(out: CsvRecord[]): void {
    const fields = this.#fields;
    this.#fields = [];
    this.#state = 'start';
    const blank = fields.length === 1 && fields[0] === '' && !this.#anyQuoted;
    this.#anyQuoted = false;
    if (!blank) out.push({ fields, line: this.#recordLine });
  }
}
