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
 * @example
 * findJsonSyntaxError('{\n  "steps": [1,]\n}'); // { line: 2, column: 17, message: 'unexpected "]"', source: '  "steps": [1,]' }
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    return locateJsonSyntaxError(text);
  }
}

/** Where the first syntax error of `text` is, for a text `JSON.parse` has already refused. */
export function locateJsonSyntaxError(text: string): JsonSyntaxError {
  const offset = firstError(text);
  return locate(text, offset, describe(text, offset));
}

function describe(text: string, offset: number): string {
  if (offset >= text.length) return 'unexpected end of file';
  if (text[offset] === '"' && stringEnd(text, offset) === -1) {
    return 'a string that does not close (or holds a line break or a bad \\ escape)';
  }
  return `unexpected ${JSON.stringify(text[offset])}`;
}

function locate(text: string, offset: number, message: string): JsonSyntaxError {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', offset);
  const source = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).replace(/\r$/, '');
  return { line, column: offset - lineStart + 1, message, source };
}

const LITERAL = /true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrt';
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** The offset just after the string starting at `at`, or -1 when no JSON string starts there. */
function stringEnd(text: string, at: number): number {
  if (text[at] !== '"') return -1;
  for (let i = at + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return -1; // a raw line break or other control character
    if (code !== 0x5c) continue;
    const escaped = text[i + 1] ?? '';
    if (escaped === 'u' && HEX4.test(text.slice(i + 2, i + 6))) i += 5;
    else if (escaped !== '' && escaped !== 'u' && ESCAPES.includes(escaped)) i += 1;
    else return -1;
  }
  return -1;
}

/**
 * The offset of the first character that cannot continue the text as JSON (its length for a text
 * cut short). Builds no value, and keeps the open containers in an array rather than on the call
 * stack, so a text nested 100,000 levels deep is located like any other.
 */
function firstError(text: string): number {
  let at = 0;
  const closers: string[] = [];
  const space = (): void => {
    for (let c = text[at]; c === ' ' || c === '\t' || c === '\r' || c === '\n'; c = text[at]) at++;
  };
  const string = (): boolean => {
    const end = stringEnd(text, at);
    if (end !== -1) at = end;
    return end !== -1;
  };
  const key = (): boolean => {
    space();
    if (!string()) return false;
    space();
    if (text[at] !== ':') return false;
    at++;
    return true;
  };
  for (;;) {
    space();
    const char = text[at];
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      at++;
      space();
      if (text[at] !== close) {
        closers.push(close);
        if (close === '}' && !key()) return at;
        continue;
      }
      at++;
    } else if (char === '"') {
      if (!string()) return at;
    } else {
      LITERAL.lastIndex = at;
      const match = LITERAL.exec(text);
      if (match === null) return at;
      at += match[0].length;
    }
    // after a value: close what it ends, then a comma leads to the next value
    for (;;) {
      space();
      const close = closers[closers.length - 1];
      if (close === undefined) return at;
      if (text[at] === close) {
        closers.pop();
        at++;
        continue;
      }
      if (text[at] !== ',') return at;
      at++;
      if (close === '}' && !key()) return at;
      break;
    }
  }
}
