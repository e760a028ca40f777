// declaring a configuration
export { defineConfig, type QueueConfig, type StepwiseConfig } from './define-config.js';
// finding and loading one, with its step modules
export { CONFIG_FILE_NAMES, findConfig } from './find-config.js';
export { importModule, resolveModule } from './import-module.js';
export {
  DEFAULT_STORE_DIR,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  loadStepModules,
} from './load-config.js';
