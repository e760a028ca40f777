// Issue 8: "a workflow document is untrusted input; nothing in it runs code or stalls validation".
// Expressions went to Arquero's parser, which compiles with Function: each of these either ran code
// or stalled there. Now each is refused at validation with CONFIG_INVALID at the field, and a canary
// file shows that nothing ran, neither at validation nor when a step is handed the text directly.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWorkflow, type ValidationIssue, WorkflowValidationError } from '@stepwise/core';
import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { aggregateTable } from '../steps/aggregate-step.js';
import { deriveTable, filterTable } from '../steps/row-tables.js';
import { MAX_EXPRESSION_LENGTH } from './parser.js';

const canary = join(mkdtempSync(join(tmpdir(), 'stepwise-canary-')), 'ran.txt');
const write = `process.getBuiltinModule("fs").writeFileSync(${JSON.stringify(canary)}, "ran")`;
const slow = '/(a+)+$/.test("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")';

/** Hostile expressions, each with what it tries. */
const HOSTILE: [what: string, expression: string][] = [
  ['an arrow function with a block body', `d => { ${write}; return 1 }`],
  ['an immediately invoked function', `(() => { ${write} })()`],
  ['a function expression', `(function () { ${write} })()`],
  ['a constructor chain through a string', `"".constructor.constructor('${write.replaceAll("'", '"')}')()`],
  ['a constructor chain through d', `d.constructor.constructor('${write.replaceAll("'", '"')}')()`],
  ['a constructor chain through op', `op.constructor.constructor('${write.replaceAll("'", '"')}')()`],
  ['a constructor chain through a number', `(1).constructor.constructor('${write.replaceAll("'", '"')}')()`],
  ['a method of a column value', 'd.name.constructor'],
  ['a call on a column value', 'd.name.toString()'],
  ['this', 'this.process'],
  ['globalThis', `globalThis.${write}`],
  ['process', 'process.env'],
  ['a template literal', `\`\${${write}}\``],
  ['a getter', `({ get x() { ${write}; return 1 } }).x`],
  ['an object literal', '({ a: 1 }).a'],
  ['an array literal', '[1, 2].map(String)'],
  ['__proto__ as a member', 'd.__proto__'],
  ['__proto__ as a string key', 'd["__proto__"]'],
  ['constructor as a key', 'd["constructor"]'],
  ['a computed key', 'd["a" + "b"]'],
  ['a computed key that calls', 'd[(() => "a")()]'],
  ['a catastrophic regex in a computed key', `d[${slow} ? "a" : "b"]`],
  ['a regex literal', `${slow} ? 1 : 0`],
  ['a backreference pattern (not RE2)', 'op.test(d.name, "(a+)\\\\1")'],
  ['a lookahead pattern (not RE2)', 'op.test(d.name, "(?=a)")'],
  ['a pattern that is not a literal', 'op.test(d.name, d.name)'],
  ['new', 'new Function("return 1")()'],
  ['eval', 'eval("1")'],
  ['import', 'import("node:fs")'],
  ['an assignment', 'd.value = 1'],
  ['an increment', 'd.value++'],
  ['a declaration', 'let x = 1'],
  ['a sequence', 'd.value, 1'],
  ['two statements', `d.value; ${write}`],
  ['a comment', 'd.value /* x */'],
  ['a function not in the whitelist', 'op.random()'],
  ['op as a value', 'op'],
  ['op by a computed key', 'op["lower"](d.name)'],
  ['a method of an op function', 'op.lower.call(null, d.name)'],
  ['a member of a call', 'op.lower(d.name).length'],
  ['parameters', 'd.value > $.x'],
  ['an expression of 1 MB', `${'d.value + '.repeat(100_000)}1`],
  ['nesting 10 000 deep', `${'('.repeat(10_000)}1${')'.repeat(10_000)}`],
];

function document(where: string, derived: string): string {
  return JSON.stringify({
    format: 'stepwise.workflow',
    version: 1,
    id: 'hostile',
    inputs: {},
    steps: [
      { id: 'load', type: 'read_csv', config: { path: 'not-there.csv' } },
      { id: 'keep', type: 'filter_rows', config: { where }, inputs: { input: { step: 'load' } } },
      { id: 'add', type: 'derive', config: { columns: { x: derived } }, inputs: { input: { step: 'keep' } } },
    ],
  });
}

function validationIssues(text: string): ValidationIssue[] {
  try {
    parseWorkflow(text);
  } catch (error) {
    if (error instanceof WorkflowValidationError) return error.issues;
    throw error;
  }
  return [];
}

describe('hostile expressions', () => {
  it.each(HOSTILE)('refuses %s at validation, with CONFIG_INVALID at the field', (_what, expression) => {
    const issues = validationIssues(document(expression, expression));
    const at = (path: string) => issues.find((issue) => issue.pathText === path);
    for (const path of ['steps[1].config.where', 'steps[2].config.columns.x']) {
      expect(at(path)).toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/Expression refused at character \d+: /),
      });
    }
    expect(existsSync(canary)).toBe(false);
  });

  it.each(HOSTILE)('refuses %s when a step is handed the text directly', (_what, expression) => {
    const df = table({ name: ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'], value: [1] });
    expect(() => filterTable(df, expression)).toThrow(/at character \d+/);
    expect(() => deriveTable(df, { x: expression })).toThrow(/at character \d+/);
    expect(existsSync(canary)).toBe(false);
  });

  it('names the limit for a long expression', () => {
    const issues = validationIssues(document(`${'d.value + '.repeat(100_000)}1`, 'd.value'));
    expect(issues[0]?.message).toContain(`at most ${MAX_EXPRESSION_LENGTH} are accepted`);
  });

  it('says where and what was expected', () => {
    const issues = validationIssues(document('d.value > ', 'd.value'));
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        pathText: 'steps[1].config.where',
        message: expect.stringContaining(
          'at character 11: expected a value: d.column, d["column"], op.function(...), a number, a string, true, false, null or ( but found the end of the expression',
        ),
      }),
    ]);
  });

  it('matches a pattern that backtracks catastrophically elsewhere in linear time (RE2)', () => {
    const long = `${'a'.repeat(50_000)}!`;
    const df = table({ name: [long, 'aa'] });
    // With a backtracking engine this takes longer than the test's time limit; RE2 is linear.
    expect(filterTable(df, 'op.test(d.name, "^(a+)+$")').array('name')).toEqual(['aa']);
    expect(existsSync(canary)).toBe(false);
  });

  it('column names from the data never become code: aggregate quotes them into the expressions it writes', () => {
    const names = [`a"]); ${write}; (d["`, "b']); globalThis.pwned = 1; ('", `c\u2028\u2029\`$\{1}\``, '__proto__x'];
    const columns: Record<string, unknown[]> = { g: ['x', 'x', 'y'] };
    for (const name of names) columns[name] = [1, 2, 2];
    const df = table(columns);
    // distinct_count and two group columns take Arquero's rollup, with expressions the step writes.
    const out = aggregateTable(
      df,
      ['g'],
      names.map((column) => ({ op: 'distinct_count' as const, column })),
    );
    expect(out.objects()).toHaveLength(2);
    expect(Array.from(out.array(`distinct_count_${names[0]}`) as ArrayLike<unknown>)).toEqual([2, 1]);
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    expect(existsSync(canary)).toBe(false);
  });
});
