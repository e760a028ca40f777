/**
 * create-stepwise: `npm create stepwise [dir]` and `stepwise init [dir]` create a Stepwise project.
 * @example
 * import { createProject } from 'create-stepwise';
 * createProject({ dir: 'my-project' });
 * @packageDocumentation
 */

// creating a project from the template
export {
  type CreatedProject,
  CreateProjectError,
  type CreateProjectOptions,
  createProject,
  packageName,
} from './create-project.js';
// what to tell the user afterwards
export { nextSteps } from './next-steps.js';
// the versions a new project's package.json names
export { projectPackageJson, stepwiseVersion, TEMPLATE_VERSIONS } from './project-package.js';
