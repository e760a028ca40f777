import { relative } from 'node:path';
import type { CreatedProject } from './create-project.js';

/** What to print after {@link createProject}: where the project is and the commands that come next. */
export function nextSteps(project: CreatedProject, cwd: string): string[] {
  const rel = relative(cwd, project.dir);
  const where = rel.startsWith('..') ? project.dir : rel;
  const cd = where === '' ? [] : [`  cd ${/^[\w./@-]+$/.test(where) ? where : JSON.stringify(where)}`];
  return [
    `Created the Stepwise project "${project.name}" in ${where === '' ? 'this folder' : where} (${project.files.length} files).`,
    '',
    'Next:',
    ...cd,
    '  npm install',
    '  npx stepwise run workflows/orders.json',
    '',
    'README.md lists the commands that follow.',
  ];
}
