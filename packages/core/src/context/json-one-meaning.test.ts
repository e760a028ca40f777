// "JSON data means different things per store": a FileStore read { x: Infinity, f() {}, m: new Map() }
// back as {"x":null,"m":{}} while a MemoryStore kept cyclic and BigInt objects. Now both accept
// exactly plain JSON, and a step returning anything else fails the same way in memory and on disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonProblem } from '../model/json.js';
import { StepRegistry } from '../registry/step-registry.js';
import { jsonStep, workflow } from '../runner/fixtures.contract.js';
import { WorkflowRunner } from '../runner/workflow-runner.js';
import { FileStore } from './file/file-store.js';
import { MemoryStore } from './memory/memory-store.js';
import { RuntimeContext } from './runtime-context.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-json-meaning-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic.self = cyclic;
const cyclicArray: unknown[] = [1];
cyclicArray.push({ back: cyclicArray });
let deep: unknown = 1;
for (let i = 0; i < 300; i++) deep = [deep];

/** [what, the value, the path named, what it says was found there] */
const notJson: [string, () => unknown, string, RegExp][] = [
  ['NaN', () => ({ x: Number.NaN }), '$.x', /NaN/],
  ['Infinity', () => ({ x: Number.POSITIVE_INFINITY }), '$.x', /Infinity/],
  ['-Infinity in an array', () => [1, 2, Number.NEGATIVE_INFINITY], '$[2]', /-Infinity/],
  ['a function', () => ({ ok: 1, f() {} }), '$.f', /a function/],
  ['a Map', () => ({ x: 1, m: new Map() }), '$.m', /a Map/],
  ['a BigInt', () => ({ n: 10n }), '$.n', /a BigInt/],
  ['undefined', () => ({ rows: [{ a: undefined }] }), '$.rows[0].a', /undefined/],
  ['a hole in an array', () => Object.assign(new Array(3), { 0: 1, 2: 3 }), '$[1]', /undefined/],
  ['a cycle', () => ({ data: cyclic }), '$.data.self', /a cycle/],
  ['a cycle through an array', () => cyclicArray, '$[1].back', /a cycle/],
  ['a class instance', () => ({ at: new Point(1, 2) }), '$.at', /a Point/],
  ['a Date', () => ({ 'unit price': new Date(0) }), '$["unit price"]', /a Date/],
  ['a symbol', () => [Symbol('s')], '$[0]', /a symbol/],
  ['a root Map', () => new Map(), '$', /a Map/],
  ['nesting past 256 levels', () => deep, `$${'[0]'.repeat(256)}`, /nested more than 256 levels/],
];

describe('the JSON data type: one checker', () => {
  it('accepts plain JSON, shared sub-objects and null-prototype objects', () => {
    const shared = { a: [1, 'two', true, null] };
    const value = { shared, again: shared, bare: Object.assign(Object.create(null), { k: 1 }), n: -0.5 };
    expect(jsonProblem(value)).toBeUndefined();
    expect(jsonProblem([])).toBeUndefined();
    expect(jsonProblem('text')).toBeUndefined();
  });

  for (const [what, make, path, found] of notJson) {
    it(`names ${path} for ${what}`, () => {
      const problem = jsonProblem(make());
      expect(problem?.path).toBe(path);
      expect(problem?.found).toMatch(found);
    });
  }
});

const stores: [string, () => MemoryStore | FileStore][] = [
  ['a MemoryStore', () => new MemoryStore()],
  ['a FileStore', () => new FileStore(mkdtempSync(join(root, 'store-')))],
];

describe('a step whose JSON output is not plain JSON fails the same way in every store', () => {
  for (const [what, make, path, found] of notJson) {
    it(`${what}: OUTPUT_TYPE_MISMATCH naming ${path}, in memory and on disk alike`, async () => {
      const messages: string[] = [];
      for (const [, store] of stores) {
        const registry = new StepRegistry();
        const bad = jsonStep(registry, 'bad', make, { source: true });
        const context = new RuntimeContext({ store: store() });
        const run = await new WorkflowRunner().run(workflow([{ id: 'b', type: bad }]), { context });
        const error = run.steps.get('b')?.error;
        expect(error?.code).toBe('OUTPUT_TYPE_MISMATCH');
        expect(error?.message).toContain(`${path} is `);
        expect(error?.message).toMatch(found);
        expect(run.steps.get('b')?.output).toBeUndefined();
        messages.push(error?.message ?? '');
      }
      expect(messages[0]).toBe(messages[1]);
    });
  }

  it('plain JSON round-trips the same in both stores', async () => {
    const value = { x: 1.5, s: 'é', l: [null, true, { deep: [1, 2] }], o: {} };
    for (const [, store] of stores) {
      const context = new RuntimeContext({ store: store() });
      const ref = context.put(value, { type: 'JSON' });
      expect(context.get(ref)).toEqual(value);
    }
  });
});
