// Splits an expression into tokens. Only the characters of the grammar are accepted: anything else
// (a backtick, `=`, `;`, `{`, `=>`, a regular expression literal) is an error at its position.

/** An error in an expression, at a character position (0-based). */
export class ExpressionError extends Error {
  /**
   * @param position the 0-based index of the character where the problem is
   * @param problem what was wrong, e.g. `expected a column after "d." but found "("`
   */
  constructor(
    readonly position: number,
    readonly problem: string,
  ) {
    super(`at character ${position + 1}: ${problem}`);
    this.name = 'ExpressionError';
  }
}

/** A token: a number, a string, a name, a punctuator, or the end of the text. */
export type Token =
  | { type: 'number'; value: number; pos: number; text: string }
  | { type: 'string'; value: string; pos: number; text: string }
  | { type: 'name'; value: string; pos: number; text: string }
  | { type: 'punct'; value: string; pos: number; text: string }
  | { type: 'end'; value: ''; pos: number; text: string };

// Longest first, so that `===` is one token and not `==` then `=`.
const PUNCTUATORS = [
  '===',
  '!==',
  '**',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '??',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '!',
  '?',
  ':',
  '(',
  ')',
  '[',
  ']',
  '.',
  ',',
];

const HINTS: Record<string, string> = {
  '`': 'template literals are not part of expressions; use a string in quotes',
  '=': 'assignments are not part of expressions; compare with ==',
  '=>': 'functions are not part of expressions; call op functions such as op.lower(d.name)',
  '{': 'blocks and objects are not part of expressions',
  ';': 'an expression is one expression, without ;',
};

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

function isNameStart(c: string): boolean {
  return /[A-Za-z_$]/.test(c);
}

function isNamePart(c: string): boolean {
  return /[A-Za-z0-9_$]/.test(c);
}

function readString(text: string, start: number): Token {
  const quote = text[start] as string;
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === quote) return { type: 'string', value, pos: start, text: text.slice(start, i + 1) };
    if (c === '\n' || c === '\r') break;
    if (c !== '\\') {
      value += c;
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break;
    if (next === 'u' || next === 'x') {
      const digits = next === 'u' ? 4 : 2;
      const hex = text.slice(i + 2, i + 2 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) {
        throw new ExpressionError(i, `expected ${digits} hex digits after "\\${next}"`);
      }
      value += String.fromCharCode(Number.parseInt(hex, 16));
      i += 2 + digits;
      continue;
    }
    value += ESCAPES[next] ?? next;
    i += 2;
  }
  throw new ExpressionError(start, `the string starting here has no closing ${quote}`);
}

function readNumber(text: string, start: number): Token {
  const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(start, start + 400));
  const raw = match?.[0] ?? '';
  const after = text[start + raw.length];
  if (raw === '' || (after !== undefined && isNamePart(after))) {
    throw new ExpressionError(start, 'expected a decimal number such as 12, 0.5 or 1e3');
  }
  return { type: 'number', value: Number(raw), pos: start, text: raw };
}

/** The tokens of an expression, ending with an `end` token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    let token: Token;
    if (c === '"' || c === "'") token = readString(text, i);
    else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) token = readNumber(text, i);
    else if (isNameStart(c)) {
      let end = i + 1;
      while (end < text.length && isNamePart(text[end] as string)) end += 1;
      const name = text.slice(i, end);
      token = { type: 'name', value: name, pos: i, text: name };
    } else {
      const punct = PUNCTUATORS.find((p) => text.startsWith(p, i));
      if (punct === undefined) {
        const shown = text.startsWith('=>', i) ? '=>' : c;
        const hint = HINTS[shown];
        throw new ExpressionError(i, `unexpected ${JSON.stringify(shown)}${hint ? `: ${hint}` : ''}`);
      }
      token = { type: 'punct', value: punct, pos: i, text: punct };
    }
    tokens.push(token);
    i = token.pos + token.text.length;
  }
  tokens.push({ type: 'end', value: '', pos: text.length, text: '' });
  return tokens;
}
