// Every file a step opens is under the data root after every symlink is followed, the last component
// of a write included, and no step writes a file the project loads as code. Tried for every reader
// and writer with the links an attacker would leave in a data root.
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepContext, StepType } from '@stepwise/core';
import { type ColumnTable, table } from 'arquero';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { readCsv, readJson, writeCsv, writeJson } from '../steps/io-steps.js';
import { readParquet, writeParquet } from '../steps/parquet-steps.js';
import { pathFiles } from '../steps/step-helpers.js';
import { readCsvStream, writeCsvStream } from '../steps/streaming-steps.js';
import { fakeContext, runStep, tempDataRoot } from '../steps/test-kit.js';
import { checkOutputPath, existingDataFileSync, resetFilesConfig } from './data-root.js';

const df = () => table({ region: ['north', 'south'], value: [1, 2] });

/** Runs a step (batch or streaming) to its end. */
async function run(type: StepType, config: Record<string, unknown>): Promise<unknown> {
  if (type.mode !== 'streaming') return runStep(type, df(), config);
  const fn = type.fn as (i: unknown, p: unknown, c: StepContext) => AsyncIterable<unknown>;
  async function* chunks(): AsyncIterable<ColumnTable> {
    yield df();
  }
  const out: unknown[] = [];
  for await (const item of fn(chunks(), type.params.parse(config), fakeContext())) out.push(item);
  return out;
}

const readers: [string, StepType, string][] = [
  ['read_csv', readCsv, 'csv'],
  ['read_csv_stream', readCsvStream, 'csv'],
  ['read_json', readJson, 'json'],
  ['read_parquet', readParquet, 'parquet'],
];
const writers: [string, StepType, string][] = [
  ['write_csv', writeCsv, 'csv'],
  ['write_csv_stream', writeCsvStream, 'csv'],
  ['write_json', writeJson, 'json'],
  ['write_parquet', writeParquet, 'parquet'],
];

let root: string;
let outside: string;
const made: string[] = [];
afterAll(() => {
  resetFilesConfig();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** What is outside the root, recursively: nothing may appear there. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

beforeEach(async () => {
  root = tempDataRoot();
  outside = mkdtempSync(join(tmpdir(), 'sw-outside-'));
  made.push(outside);
  // a secret of each format outside the root, written by the writers themselves
  for (const [, writer, ext] of writers.filter(([name]) => !name.endsWith('_stream'))) {
    await run(writer, { path: `secret.${ext}` });
    writeFileSync(join(outside, `secret.${ext}`), readFileSync(join(root, `secret.${ext}`)));
    rmSync(join(root, `secret.${ext}`));
  }
  mkdirSync(join(outside, 'dir'));
  for (const ext of ['csv', 'json', 'parquet']) {
    writeFileSync(join(outside, 'dir', `secret.${ext}`), readFileSync(join(outside, `secret.${ext}`)));
    symlinkSync(join(outside, `secret.${ext}`), join(root, `file-link.${ext}`)); // a link to a file outside
    symlinkSync(join(outside, `missing.${ext}`), join(root, `dangling.${ext}`)); // a dangling link out
    symlinkSync(`../${join('..', outside, `missing.${ext}`)}`, join(root, `relative-dangling.${ext}`));
  }
  symlinkSync(join(outside, 'dir'), join(root, 'dir-link')); // a link to a folder outside
  symlinkSync(join(outside, 'not-yet'), join(root, 'dangling-dir')); // a link to a folder not made yet
  mkdirSync(join(root, 'sub'));
  symlinkSync(join(outside, 'dir'), join(root, 'sub', 'parent-link')); // a symlinked parent, deeper
});

/** The paths that lead out of the root through a link, for a file of `ext`. */
const escapes = (ext: string) => [
  `file-link.${ext}`,
  `dangling.${ext}`,
  `relative-dangling.${ext}`,
  `dir-link/secret.${ext}`,
  `dangling-dir/x.${ext}`,
  `sub/parent-link/secret.${ext}`,
  `sub/parent-link/new/deeper/x.${ext}`,
];

describe.each(readers)('%s reads nothing outside the data root through a link', (_name, reader, ext) => {
  it.each(escapes(ext))('%s', async (path) => {
    await expect(run(reader, { path })).rejects.toMatchObject({ code: 'PATH_OUTSIDE_DATA_ROOT' });
  });

  it('a link inside the root to a file inside is followed', async () => {
    writeFileSync(join(root, `real.${ext}`), readFileSync(join(outside, `secret.${ext}`)));
    symlinkSync(`real.${ext}`, join(root, `inner-link.${ext}`));
    expect(((await run(reader, { path: `inner-link.${ext}` })) as ColumnTable | ColumnTable[]).toString()).toBeTruthy();
  });
});

describe.each(writers)('%s writes nothing outside the data root through a link', (_name, writer, ext) => {
  it.each(escapes(ext))('%s', async (path) => {
    const before = listing(outside);
    const secret = readFileSync(join(outside, `secret.${ext}`));
    await expect(run(writer, { path })).rejects.toMatchObject({ code: 'PATH_OUTSIDE_DATA_ROOT' });
    expect(listing(outside)).toEqual(before); // no file and no folder appeared outside
    expect(readFileSync(join(outside, `secret.${ext}`))).toEqual(secret);
    expect(listing(root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a link inside the root to a file inside: the file it points to is written, the link kept', async () => {
    symlinkSync(`target.${ext}`, join(root, `inner-link.${ext}`)); // dangling until written
    await run(writer, { path: `inner-link.${ext}` });
    expect(lstatSync(join(root, `inner-link.${ext}`)).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(root, `inner-link.${ext}`))).toBe(`target.${ext}`);
    expect(lstatSync(join(root, `target.${ext}`)).isFile()).toBe(true);
  });

  it('a hard link to a file outside is replaced, never written through', async () => {
    try {
      linkSync(join(outside, `secret.${ext}`), join(root, `hard.${ext}`));
    } catch {
      return; // another file system (tmpdir on a separate mount): nothing to try
    }
    writeFileSync(join(outside, `secret.${ext}`), 'canary');
    await run(writer, { path: `hard.${ext}` });
    expect(readFileSync(join(outside, `secret.${ext}`), 'utf8')).toBe('canary');
    expect(statSync(join(root, `hard.${ext}`)).ino).not.toBe(statSync(join(outside, `secret.${ext}`)).ino);
  });

  it('new folders are made under the root, and nothing is left behind', async () => {
    await run(writer, { path: `made/here/out.${ext}` });
    expect(listing(join(root, 'made'))).toEqual(['here', `here/out.${ext}`]);
  });
});

describe.each(writers)('%s never writes a file the project loads as code', (_name, writer, ext) => {
  it.each([
    ['the config', 'stepwise.config.ts'],
    ['the config (another extension, another case)', 'STEPWISE.CONFIG.mjs'],
    ['a step module', 'steps.ts'],
    ['a step module in a folder', 'sales/steps.js'],
    ['a native addon', 'build/addon.node'],
    ['package.json', 'package.json'],
    ['npm settings', '.npmrc'],
    ['a file in node_modules', `node_modules/@stepwise/dataframe/data.${ext}`],
    ['a git hook', `.git/hooks/pre-commit.${ext}`],
    ['a data-looking link to the config', `innocent.${ext}`],
  ])('%s: %s', async (_what, path) => {
    writeFileSync(join(root, 'stepwise.config.ts'), 'export default {};\n');
    writeFileSync(join(root, 'steps.ts'), 'export {};\n');
    symlinkSync('stepwise.config.ts', join(root, `innocent.${ext}`));
    await expect(run(writer, { path })).rejects.toMatchObject({
      code: 'WRITE_REFUSED',
      message: expect.stringMatching(/^Refusing to write ".*": it is .*, which the project loads as code/),
    });
    expect(readFileSync(join(root, 'stepwise.config.ts'), 'utf8')).toBe('export default {};\n');
    expect(readFileSync(join(root, 'steps.ts'), 'utf8')).toBe('export {};\n');
    expect(existsSync(join(root, 'node_modules'))).toBe(false);
    expect(existsSync(join(root, '.git'))).toBe(false);
  });
});

it('stepwise validate can refuse a code file before anything runs (checkOutputPath creates nothing)', async () => {
  await expect(checkOutputPath('node_modules/x/y.csv')).rejects.toMatchObject({ code: 'WRITE_REFUSED' });
  await expect(checkOutputPath('dangling.csv')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_DATA_ROOT' });
  expect(await checkOutputPath('fresh/out.csv')).toBe(join(root, 'fresh', 'out.csv'));
  expect(existsSync(join(root, 'fresh'))).toBe(false);
});

it('a failed write leaves the old file as it was', async () => {
  await run(writeCsv, { path: 'kept.csv' });
  const before = readFileSync(join(root, 'kept.csv'), 'utf8');
  const fn = writeCsvStream.fn as (i: unknown, p: unknown, c: StepContext) => AsyncIterable<unknown>;
  async function* failing(): AsyncIterable<ColumnTable> {
    yield table({ other: ['half'] });
    throw new Error('the source failed');
  }
  const consume = async () => {
    for await (const _ of fn(failing(), writeCsvStream.params.parse({ path: 'kept.csv' }), fakeContext()));
  };
  await expect(consume()).rejects.toThrow('the source failed');
  expect(readFileSync(join(root, 'kept.csv'), 'utf8')).toBe(before);
  expect(readdirSync(root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
});

it("validation's peeks and the step key's file identity do not look through a link out either", async () => {
  for (const path of escapes('csv')) {
    expect(existingDataFileSync(path)).toBeUndefined(); // read_csv's infer peeks at the header
    await expect(pathFiles({ path })).rejects.toMatchObject({ code: 'PATH_OUTSIDE_DATA_ROOT' });
  }
  writeFileSync(join(root, 'here.csv'), 'a\n1\n');
  expect(existingDataFileSync('here.csv')).toBe(join(root, 'here.csv'));
  expect((await pathFiles({ path: 'here.csv' }))[0]).toMatchObject({ path: 'here.csv', size: 4 });
});
