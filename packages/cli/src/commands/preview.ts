import { isRef, materializeValue, type StoredRun } from '@stepwise/core';
import { dataFrameFromRows } from '@stepwise/dataframe';
import { writeValue } from '../data-files.js';
import { shortPath } from '../execute.js';
import { type CommandIO, ExitCode, println, useColor } from '../io.js';
import { DEFAULT_PREVIEW_ROWS, type GlobalOptions } from '../options.js';
import { type CommandContext, openProject, type Project } from '../project.js';
import { renderPreview, toValuePreview } from '../report/preview-table.js';
import { loadRun } from '../run-history.js';
import { openRunStore, requireRunStore } from '../run-store-context.js';
import { UsageError } from '../usage-error.js';
import { colors, count, formatBytes, formatRows } from '../view/format.js';

/** Options of `stepwise preview` (and of `stepwise show <run> <step>`). */
export interface PreviewOptions extends GlobalOptions {
  /** Rows shown (default 10). */
  rows?: number;
  json?: boolean;
  /** Write the whole output to this CSV file. */
  csv?: string;
  store?: string;
}

/** Where a previewed value comes from. */
type Target = { ref: string } | { runId: string; stepId: string };

/** `stepwise preview <ref>` or `stepwise preview <run> <step>`: the first rows of a value, its columns and size. */
export async function previewCommand(io: CommandIO, args: string[], options: PreviewOptions): Promise<number> {
  const [first = '', stepId] = args;
  const target: Target = stepId === undefined && isRef(first) ? { ref: first } : { runId: first, stepId: stepId ?? '' };
  if ('stepId' in target && target.stepId === '')
    throw new UsageError(`preview takes a ref (ref_…), or a run id and a step: stepwise preview <run> <step>.`);
  const project = await openProject(io, options);
  return previewValue(io, project, target, options);
}

/** Shows (or writes, with `--csv`) the value `target` names. */
export async function previewValue(
  io: CommandIO,
  project: Project,
  target: Target,
  options: PreviewOptions,
): Promise<number> {
  const access = await openRunStore(io, project, options.store, 'preview');
  const context = requireRunStore(access, 'ref' in target ? `Ref ${target.ref}` : `Run ${target.runId}`);
  const { ref, label } =
    'ref' in target ? refTarget(context, target.ref, access.where) : await stepTarget(context, target, access.where);
  const info = context.info(ref);
  // a lazy table (a pushed-down step's output) runs its query now
  const value = await materializeValue(project.registry, info.type, context.get(ref));
  if (options.csv !== undefined) {
    const path = await writeCsv(value, info.type, { file: options.csv, project, cwd: io.cwd, label });
    println(io.stdout, `Wrote the output of ${label} (${describe(info)}) to ${shortPath(io, path)}.`);
    return ExitCode.OK;
  }
  const n = options.rows ?? DEFAULT_PREVIEW_ROWS;
  const dataType = project.registry.dataType(info.type);
  const preview = toValuePreview(
    { ref, type: info.type, ...size(info) },
    dataType === undefined ? value : dataType.preview(value as never, n),
  );
  if (options.json) {
    println(io.stdout, JSON.stringify(preview));
    return ExitCode.OK;
  }
  const color = useColor(io.stdout, io.env);
  const c = colors(color);
  println(io.stdout, `${c.bold(`Output of ${label}`)}: ${describe(info)} ${c.dim(`(${ref})`)}`);
  for (const line of renderPreview(preview, c, color)) println(io.stdout, line);
  if (preview.head !== undefined) {
    const total = preview.rows ?? preview.head.length;
    const more =
      total > preview.head.length ? `; more with --rows ${Math.min(total, n * 10)}, all of it with --csv <file>` : '';
    println(io.stdout, c.dim(`${count(preview.head.length, 'row')} of ${total.toLocaleString('en-US')} shown${more}.`));
  }
  return ExitCode.OK;
}

function size(info: { rows?: number; bytes?: number }): { rows?: number; bytes?: number } {
  return {
    ...(info.rows === undefined ? {} : { rows: info.rows }),
    ...(info.bytes === undefined ? {} : { bytes: info.bytes }),
  };
}

/** `DataFrame, 4 rows, 792 B`. */
function describe(info: { type: string; rows?: number; bytes?: number }): string {
  return [info.type, formatRows(info.rows), formatBytes(info.bytes)].filter((part) => part !== '').join(', ');
}

function refTarget(context: CommandContext, ref: string, where: string): { ref: string; label: string } {
  if (!context.has(ref)) throw new UsageError(`Ref ${ref} is not in the store ${where}.`);
  const producer = context.info(ref).producer;
  return { ref, label: producer ? `step "${producer.stepId}" in run ${producer.runId}` : ref };
}

/**
 * The output ref of `stepId` in a run: a step it ran, or one a partial run reused.
 * @throws UsageError naming what is wrong: an unknown step (with the run's steps), a step that did not
 * complete, a fused streaming step (no output kept), an output no longer in the store
 */
export async function stepTarget(
  context: CommandContext,
  { runId, stepId }: { runId: string; stepId: string },
  where: string,
): Promise<{ ref: string; label: string }> {
  const { record } = await loadRun(context, runId, where);
  const reused = reusedSteps(record).get(stepId);
  const type = reused?.type ?? record.workflow.steps.find((s) => s.id === stepId)?.type;
  const label = `step "${stepId}" (${type}) in run ${runId}`;
  if (reused !== undefined)
    return holding(context, { ref: reused.ref, label: `${label}, reused from ${reused.run}` }, where);
  const step = record.steps.find((s) => s.id === stepId);
  if (step === undefined || type === undefined) {
    const ids = [...record.steps.map((s) => s.id), ...reusedSteps(record).keys()];
    throw new UsageError(`Run ${runId} has no step "${stepId}".`, [`Its steps: ${ids.join(', ')}.`]);
  }
  if (step.status !== 'completed')
    throw new UsageError(`Step "${stepId}" of run ${runId} is ${step.status}: it has no output to show.`);
  if (step.output === undefined) {
    const reader = record.workflow.steps.find((s) =>
      Object.values(s.inputs ?? {}).some((r) => 'step' in r && r.step === stepId),
    );
    throw new UsageError(
      `Step "${stepId}" of run ${runId} is a fused streaming step: it streamed its chunks into "${reader?.id ?? 'the next step'}" and kept none.`,
      [`Preview "${reader?.id ?? 'the next step'}", or run again with --output ${stepId}=${stepId}.csv to keep it.`],
    );
  }
  return holding(context, { ref: step.output, label }, where);
}

function holding<T extends { ref: string }>(context: CommandContext, target: T, where: string): T {
  if (context.has(target.ref)) return target;
  throw new UsageError(`${target.ref} is no longer in the store ${where} (stepwise prune removes old runs' data).`);
}

/** The steps a partial run read from earlier runs instead of running them (its document's metadata). */
export function reusedSteps(record: StoredRun['record']): Map<string, { run: string; ref: string; type: string }> {
  const partial = record.workflow.metadata?.partial as
    | { reused?: Record<string, { run: string; ref: string; type: string }> }
    | undefined;
  return new Map(Object.entries(partial?.reused ?? {}));
}

/** Writes a DataFrame, or a JSON list of objects, as CSV. */
async function writeCsv(
  value: unknown,
  type: string,
  { file, project, cwd, label }: { file: string; project: Project; cwd: string; label: string },
): Promise<string> {
  if (!file.toLowerCase().endsWith('.csv')) throw new UsageError(`--csv ${file}: name a .csv file.`);
  const rows =
    Array.isArray(value) && value.every((row) => row !== null && typeof row === 'object' && !Array.isArray(row));
  if (type !== 'DataFrame' && !(type === 'JSON' && rows))
    throw new UsageError(
      `The output of ${label} is ${type}, not a table: --csv writes a DataFrame or a JSON list of objects.`,
      ['Write it as it is with stepwise run --output <step>=file.json.'],
    );
  const table = type === 'DataFrame' ? value : dataFrameFromRows(value as unknown[]);
  return writeValue(table, 'DataFrame', { file, registry: project.registry, cwd });
}
