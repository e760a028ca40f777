import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from './json-syntax.js';

describe('findJsonSyntaxError', () => {
  it('answers undefined for JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        expect(findJsonSyntaxError(JSON.stringify(value, null, pretty ? 2 : undefined))).toBeUndefined();
      }),
    );
  });

  it('points at the first character that is not JSON, with its line and column', () => {
    expect(findJsonSyntaxError('{\n  "steps": [\n    1,\n  ]\n}')).toEqual({
      line: 4,
      column: 3,
      message: 'unexpected "]"',
      source: '  ]',
    });
    expect(findJsonSyntaxError('{"a": 1 "b": 2}')).toMatchObject({ line: 1, column: 9, message: 'unexpected "\\""' });
    expect(findJsonSyntaxError('{"a": tru}')).toMatchObject({ column: 7, message: 'unexpected "t"' });
    expect(findJsonSyntaxError('[1]\nx')).toMatchObject({ line: 2, column: 1, message: 'unexpected "x"' });
  });

  it('names a text cut short and a string that does not close', () => {
    expect(findJsonSyntaxError('{"a": [1, 2')).toMatchObject({
      line: 1,
      column: 12,
      message: 'unexpected end of file',
    });
    expect(findJsonSyntaxError('{"a": "b\n"}')).toMatchObject({
      column: 7,
      message: expect.stringContaining('does not close'),
    });
  });

  it('finds an error in any JSON text cut short', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, n) => {
        const text = JSON.stringify({ value });
        const cut = text.slice(0, n % text.length);
        const found = findJsonSyntaxError(cut);
        expect(found).toBeDefined();
      }),
    );
  });
});

describe('findJsonSyntaxError on deep and long texts', () => {
  it('locates an error in a text nested 100,000 levels deep without overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}1${']'.repeat(99_999)}`;
    expect(findJsonSyntaxError(deep)).toMatchObject({ line: 1, column: 200_001, message: 'unexpected end of file' });
    expect(findJsonSyntaxError(`${'{"a":'.repeat(100_000)}x`)).toMatchObject({ column: 500_001 });
  });

  it('points at the opening quote of a string with a bad escape', () => {
    expect(findJsonSyntaxError('["ok", "bad \\x"]')).toMatchObject({
      column: 8,
      message: expect.stringContaining('does not close'),
    });
    expect(findJsonSyntaxError('["\\u12"]')).toMatchObject({ column: 2 });
    expect(findJsonSyntaxError('["\\u1234", "\\n"]')).toBeUndefined();
  });
});
