/**
 * @stepwise/cli: the `stepwise` command, as functions that run in-process.
 * @packageDocumentation
 */

// the command: run it in-process with its streams, and its exit codes
export { type CommandIO, ExitCode, type OutputStream } from './io.js';
export { cliVersion, runCommand } from './run-command.js';
// the live view: events in, lines out (pure, testable without a TTY)
export { type RenderOptions, renderLiveView, renderStepLine } from './view/render.js';
export { createReporter, type ReporterMode, type ReporterOptions, type RunReporter } from './view/reporter.js';
export { applyEvent, createRunView, type RunView, type SizeOf, type StepView } from './view/run-view.js';
