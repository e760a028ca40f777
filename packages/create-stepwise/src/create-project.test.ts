import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProject, packageName } from './create-project.js';
import { nextSteps } from './next-steps.js';
import { TEMPLATE_VERSIONS } from './project-package.js';

const root = resolve(import.meta.dirname, '../../..');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'create-stepwise-'));
  made.push(dir);
  return dir;
}
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('createProject', () => {
  it('writes the project: package.json, config, steps, a workflow over its CSV, .gitignore, tsconfig, README', () => {
    const dir = join(temp(), 'My Orders');
    const project = createProject({ dir });
    expect(project).toEqual({
      dir,
      name: 'my-orders',
      files: [
        '.gitignore',
        'README.md',
        'data/orders.csv',
        'package.json',
        'steps.ts',
        'stepwise.config.ts',
        'tsconfig.json',
        'workflows/orders.json',
      ],
    });
    const manifest = json(join(dir, 'package.json'));
    expect(manifest).toMatchObject({ name: 'my-orders', private: true, type: 'module' });
    expect(manifest.dependencies).toEqual({
      '@stepwise/cli': '^0.1.0',
      '@stepwise/core': '^0.1.0',
      '@stepwise/dataframe': '^0.1.0',
      zod: `^${TEMPLATE_VERSIONS.zod}`,
    });
    expect(Object.keys(manifest.devDependencies)).toEqual(['@types/node', 'tsx', 'typescript']);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('.stepwise/');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/^# my-orders\n/);
    expect(json(join(dir, 'workflows/orders.json')).steps.map((s: { type: string }) => s.type)).toEqual([
      'read_csv',
      'normalize_text',
      'add_total',
      'aggregate',
      'write_csv',
    ]);
  });

  it('starts projects on the versions Stepwise is built and tested with', () => {
    const devDependencies = json(join(root, 'package.json')).devDependencies;
    expect(TEMPLATE_VERSIONS.zod).toBe(json(join(root, 'packages/core/package.json')).devDependencies.zod);
    for (const name of ['tsx', 'typescript', '@types/node'] as const)
      expect(TEMPLATE_VERSIONS[name], name).toBe(devDependencies[name]);
    for (const name of ['core', 'dataframe', 'cli'])
      expect(json(join(root, `packages/${name}/package.json`)).version).toBe(
        json(join(root, 'packages/create-stepwise/package.json')).version,
      );
  });

  it('refuses a folder that is not empty, writing nothing, unless forced; a .git folder does not count', () => {
    const dir = temp();
    mkdirSync(join(dir, '.git'));
    expect(createProject({ dir }).files).toHaveLength(8);
    const busy = temp();
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    expect(() => createProject({ dir: busy })).toThrow(
      expect.objectContaining({
        code: 'DIRECTORY_NOT_EMPTY',
        message: `${busy} is not empty (notes.txt); nothing was written. Choose a new or empty folder, or pass --force to write the template's files into it (files of the same name are replaced).`,
      }),
    );
    expect(readdirSync(busy)).toEqual(['notes.txt']);
    createProject({ dir: busy, force: true });
    expect(readFileSync(join(busy, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(busy)).toContain('stepwise.config.ts');
  });

  it('refuses a file', () => {
    const file = join(temp(), 'file');
    writeFileSync(file, '');
    expect(() => createProject({ dir: file })).toThrow(expect.objectContaining({ code: 'NOT_A_DIRECTORY' }));
  });

  it('makes a valid npm name from any folder name', () => {
    expect(packageName('My Project!')).toBe('my-project');
    expect(packageName('.hidden')).toBe('hidden');
    expect(packageName('日本')).toBe('stepwise-project');
  });

  it('says where the project is and the next commands', () => {
    const parent = temp();
    const project = createProject({ dir: join(parent, 'demo') });
    expect(nextSteps(project, parent)).toEqual([
      'Created the Stepwise project "demo" in demo (8 files).',
      '',
      'Next:',
      '  cd demo',
      '  npm install',
      '  npx stepwise run workflows/orders.json',
      '',
      'README.md lists the commands that follow.',
    ]);
  });
});
