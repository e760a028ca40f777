/** Where a JSON text stops being JSON: 1-based line and column, and what was found there. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  /** `unexpected ","`, `unexpected end of file`, ... */
  message: string;
  /** The text of the offending line. */
  source: string;
}

/**
 * Finds the first syntax error of a JSON text, or undefined when it parses. V8's own messages
 * often give no position (`Unexpected token ','...`), which leaves a reader searching the file.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    const scanner = new Scanner(text);
    const offset = scanner.firstError();
    return locate(text, offset, describe(text, offset));
  }
}

function describe(text: string, offset: number): string {
  if (offset >= text.length) return 'unexpected end of file';
  if (text[offset] === '"' && !startsString(text, offset)) {
    return 'a string that does not close (or holds a line break or a bad \\ escape)';
  }
  return `unexpected ${JSON.stringify(text[offset])}`;
}

// raw control characters (a line break) may not appear inside a JSON string
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range excludes exactly the control characters JSON forbids
const STRING = /"([^"\\\u0000-\u001f]|\\(["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

function startsString(text: string, offset: number): boolean {
  STRING.lastIndex = offset;
  return STRING.test(text);
}

function locate(text: string, offset: number, message: string): JsonSyntaxError {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', offset);
  const source = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).replace(/\r$/, '');
  return { line, column: offset - lineStart + 1, message, source };
}

/** A JSON recogniser that stops at the first character that cannot continue the text; it builds no value. */
class Scanner {
  #at = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  /** The offset of the first character that is not JSON (the text's length for a text cut short). */
  firstError(): number {
    try {
      this.#value();
      this.#space();
      return Math.min(this.#at, this.#text.length);
    } catch (offset) {
      return offset as number;
    }
  }

  #space(): void {
    while (/[ \t\r\n]/.test(this.#text[this.#at] ?? '')) this.#at++;
  }

  /** Consumes what the sticky `pattern` matches here, or fails at this offset. */
  #expect(pattern: RegExp): void {
    pattern.lastIndex = this.#at;
    const match = pattern.exec(this.#text);
    if (match === null) throw this.#at;
    this.#at += match[0].length;
  }

  #value(): void {
    this.#space();
    const char = this.#text[this.#at];
    if (char === '{') this.#container('}', () => this.#member());
    else if (char === '[') this.#container(']', () => this.#value());
    else if (char === '"') this.#string();
    else this.#expect(/true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y);
  }

  #member(): void {
    this.#space();
    this.#string();
    this.#space();
    this.#expect(/:/y);
    this.#value();
  }

  #string(): void {
    this.#expect(STRING);
  }

  #container(close: string, item: () => void): void {
    this.#at++;
    this.#space();
    if (this.#text[this.#at] === close) {
      this.#at++;
      return;
    }
    for (;;) {
      item();
      this.#space();
      const char = this.#text[this.#at];
      if (char === close) {
        this.#at++;
        return;
      }
      if (char !== ',') throw this.#at;
      this.#at++;
    }
  }
}
