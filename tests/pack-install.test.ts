// The packages as a user gets them: `npm pack` each one, `stepwise init` a project in a temporary folder,
// install the tarballs there (no workspace links, the rest from the registry), run its workflow with the
// installed `stepwise`, type-check it, run the README tutorial's code against the tarballs, then put zod 3
// in the project and see the one message that says zod 4 is needed.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './linked-project.js';

const PACKAGES = ['create-stepwise', 'core', 'dataframe', 'cli'] as const;
const MINUTE = 60_000;

/** The environment of the commands: npm's own variables from `npm test` would steer the inner npm. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
) as NodeJS.ProcessEnv;
env.NO_COLOR = '1';

function sh(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 5 * MINUTE });
}

/** Runs a command that must succeed; its output on failure. */
function ok(command: string, args: string[], cwd: string): string {
  const result = sh(command, args, cwd);
  const shown = `${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}\n${result.stdout}\n${result.stderr}`;
  expect(result.status, shown).toBe(0);
  return result.stdout;
}

let work: string;
let project: string;
let tarballs: Record<(typeof PACKAGES)[number], string>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'stepwise-pack-'));
  const packed = join(work, 'packed');
  mkdirSync(packed);
  const workspaces = PACKAGES.flatMap((name) => ['--workspace', `packages/${name}`]);
  ok('npm', ['pack', '--silent', ...workspaces, '--pack-destination', packed], repoRoot);
  const files = readdirSync(packed);
  const find = (name: string) => join(packed, files.find((f) => f.startsWith(`${name}-0`)) ?? `${name} missing`);
  tarballs = {
    'create-stepwise': find('create-stepwise'),
    core: find('stepwise-core'),
    dataframe: find('stepwise-dataframe'),
    cli: find('stepwise-cli'),
  };
  project = join(work, 'my-project');
  ok(process.execPath, [join(repoRoot, 'packages/cli/bin/stepwise.js'), 'init', project], work);
  // the cache of the repository's own `npm ci` has every dependency but zod 3; the registry has the rest
  ok('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...Object.values(tarballs)], project);
}, 6 * MINUTE);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed packages in a project of their own', () => {
  it(
    'each tarball holds its built code, types and bin, and no tests; its package.json says what it needs',
    () => {
      for (const [name, tarball] of Object.entries(tarballs)) {
        const listed = ok('tar', ['tzf', tarball], work).split('\n');
        expect(listed, name).toContain('package/dist/index.js');
        expect(listed, name).toContain('package/dist/index.d.ts');
        expect(
          listed.filter((file) => /\.test(-d)?\.|tsbuildinfo|test-kit|fixtures|test-io/.test(file)),
          name,
        ).toEqual([]);
        const manifest = JSON.parse(
          readFileSync(join(project, 'node_modules', packageDir(name), 'package.json'), 'utf8'),
        );
        expect(manifest.engines, name).toEqual({ node: '>=20.19' });
        expect(manifest.types, name).toBe('./dist/index.d.ts');
        expect(manifest.exports['.'], name).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
      }
      const core = JSON.parse(readFileSync(join(project, 'node_modules/@stepwise/core/package.json'), 'utf8'));
      expect(core.peerDependencies.zod).toBe('^4.0.0');
      // vitest only for the contract suites of @stepwise/core/testing; tsx only to load .ts step modules
      expect(core.peerDependenciesMeta).toEqual({ tsx: { optional: true }, vitest: { optional: true } });
      expect(Object.keys(core.dependencies)).toEqual(['piscina']);
      expect(core.exports['./testing']).toEqual({
        types: './dist/testing/index.d.ts',
        default: './dist/testing/index.js',
      });
      expect(core.exports['./model']).toEqual({ types: './dist/model.d.ts', default: './dist/model.js' });
      expect(ok('tar', ['tzf', tarballs.cli], work)).toContain('package/bin/stepwise.js');
      expect(ok('tar', ['tzf', tarballs['create-stepwise']], work)).toContain('package/template/gitignore');
    },
    3 * MINUTE,
  );

  it(
    'installs one copy of @stepwise/core, which every package and the step modules share',
    () => {
      const copies = ok('find', ['node_modules', '-path', '*/@stepwise/core/package.json'], project).trim().split('\n');
      expect(copies).toEqual(['node_modules/@stepwise/core/package.json']);
    },
    3 * MINUTE,
  );

  it(
    "runs the project's first workflow with the installed `stepwise`",
    () => {
      const stdout = ok(join(project, 'node_modules/.bin/stepwise'), ['run', 'workflows/orders.json'], project);
      expect(stdout).toMatch(/Run run_\S+ completed in \S+: 5 completed\./);
      expect(readFileSync(join(project, 'data/out/revenue-by-region.csv'), 'utf8')).toBe(
        'region,orders,revenue\nnorth,3,66.9\nsouth,3,90.6\neast,3,145.2\nwest,3,73.5\n',
      );
      expect(existsSync(join(project, '.stepwise/store/runs'))).toBe(true);
    },
    3 * MINUTE,
  );

  it(
    'walks docs/getting-started.md: adds its step type, lists the runs, shows one, previews, re-runs from a step',
    () => {
      const lines: string[] = [];
      for (const block of gettingStartedBlocks()) {
        if (block.lang === 'ts')
          appendFileSync(join(project, 'steps.ts'), `\n${block.code.replace(/^\/\/ file: .*\n/, '')}`);
        if (block.lang === 'json')
          insertStepAfter(join(project, 'workflows/orders.json'), 'total', JSON.parse(block.code));
        if (block.lang === 'sh')
          lines.push(...block.code.split('\n').filter((line) => line.startsWith('npx stepwise ')));
      }
      let runId = '';
      const said: { command: string; stdout: string }[] = [];
      for (const line of lines) {
        const command = line.slice('npx stepwise '.length).replace(/run_…/g, runId);
        const stdout = ok(join(project, 'node_modules/.bin/stepwise'), command.split(/\s+/), project);
        said.push({ command, stdout });
        runId = /^Run (run_\S+) completed/m.exec(stdout)?.[1] ?? runId;
      }
      const output = (prefix: string) => said.filter((s) => s.command.startsWith(prefix)).at(-1)?.stdout ?? '';
      expect(said.map((s) => s.command.split(' ')[0])).toEqual([
        'run',
        'steps',
        'run',
        'runs',
        'show',
        'preview',
        'run',
      ]);
      expect(output('steps')).toMatch(/│ flag_large +│/);
      expect(output('runs')).toMatch(/│ ✔ │ run_\S+ │ orders +│ completed │/);
      expect(output('show')).toMatch(/│ ✔ │ flag +│ flag_large +│ completed │/);
      expect(output('preview')).toMatch(/^Output of step "flag" \(flag_large\) in run run_\S+: DataFrame, 12 rows/);
      expect(output('preview')).toMatch(/│ large +│\n.*│ boolean │/);
      const last = output('run');
      expect(last).toMatch(/^✔ clean +normalize_text +reused from run_\S+, not run$/m);
      expect(last).toMatch(/completed in \S+: 1 reused, 4 completed\./);
    },
    3 * MINUTE,
  );

  it(
    "type-checks: the step types, the config and the packages' declarations agree",
    () => {
      ok(join(project, 'node_modules/.bin/tsc'), ['-p', '.'], project);
    },
    3 * MINUTE,
  );

  it(
    "runs the README tutorial's code against the tarballs",
    () => {
      const tutorial = join(project, 'tutorial');
      mkdirSync(tutorial);
      for (const file of ['steps.ts', 'tutorial.ts'])
        cpSync(join(repoRoot, 'examples/tutorial', file), join(tutorial, file));
      const stdout = ok(join(project, 'node_modules/.bin/tsx'), ['tutorial/tutorial.ts'], project);
      expect(stdout).toContain('failed cannot read exchange rates from');
      expect(stdout).toContain("completed [\n  { id: 1, amount: 10, gross: 6, currency: 'EUR' },");
    },
    3 * MINUTE,
  );

  it(
    'with zod 3 in the project, `stepwise` stops with one message: zod 4 is needed, and how to get it',
    () => {
      // what a project already on zod 3 has (npm refuses the peer range without --legacy-peer-deps)
      ok(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', '--legacy-peer-deps', 'zod@3.25.76'],
        project,
      );
      const result = sh(join(project, 'node_modules/.bin/stepwise'), ['run', 'workflows/orders.json'], project);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `error: Stepwise needs zod 4, but this project's zod is zod 3.25.76 (${join(project, 'node_modules/zod')}). ` +
          "Upgrade it with `npm install zod@^4`; code that must stay on zod 3 can then import it from 'zod/v3'.\n",
      );
    },
    3 * MINUTE,
  ); // npm install fetches zod 3 from the registry on a clean machine
});

/** The fenced blocks of docs/getting-started.md from section 3 on (1 and 2 make the project, as beforeAll does). */
function gettingStartedBlocks(): { lang: string; code: string }[] {
  const doc = readFileSync(join(repoRoot, 'docs/getting-started.md'), 'utf8');
  const from = doc.slice(doc.indexOf('## 3. '));
  expect(from).toContain('add this step to the `steps` list, after the step `total`');
  return [...from.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1] ?? '',
    code: (m[2] ?? '').trimEnd(),
  }));
}

/** Adds `step` to a workflow document after the step `after`, as the reader does by hand. */
function insertStepAfter(file: string, after: string, step: unknown): void {
  const document = JSON.parse(readFileSync(file, 'utf8')) as { steps: { id: string }[] };
  document.steps.splice(document.steps.findIndex((s) => s.id === after) + 1, 0, step as { id: string });
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
}

function packageDir(name: string): string {
  return name === 'create-stepwise' ? name : `@stepwise/${name}`;
}
