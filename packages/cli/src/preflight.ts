import { existsSync } from 'node:fs';
import { ErrorCode, type PlannedStep, type ValidationIssue, validationIssue, type WorkflowPlan } from '@stepwise/core';
import { checkOutputPath, FileErrorCode, filesConfig, resolveDataPath } from '@stepwise/dataframe';

/** The config keys holding paths that a step type reads or writes (its `metadata.files`). */
interface FileKeys {
  read: string[];
  write: string[];
}

/**
 * What can be checked of a valid workflow without running it, as issues with paths: an input file
 * that does not exist (and that no earlier step writes), a path outside the data root, a write to a
 * file the project loads as code (`WRITE_REFUSED`), an executor the
 * runner does not have. Files are the config keys a step type lists under `metadata.files`.
 */
export async function preflight(plan: WorkflowPlan, executors: readonly string[]): Promise<ValidationIssue[]> {
  const problems: ValidationIssue[] = [];
  const written = new Set<string>();
  for (const step of plan.steps) {
    const executor = step.strategy.executor;
    if (executor !== undefined && !executors.includes(executor)) {
      problems.push(
        validationIssue(
          ErrorCode.EXECUTOR_UNAVAILABLE,
          ['steps', step.index, 'strategy', 'executor'],
          `Step "${step.id}" asks for the "${executor}" executor, which this command does not have (it has ${executors.join(', ')}).`,
          { expected: `one of: ${executors.join(', ')}`, actual: JSON.stringify(executor) },
        ),
      );
    }
    const keys = fileKeys(step);
    for (const key of [...keys.read, ...keys.write]) {
      const path = (step.params as Record<string, unknown>)[key];
      if (typeof path !== 'string') continue;
      const problem = await checkPath(step, { key, path, reads: keys.read.includes(key), written });
      if (problem) problems.push(validationIssue(problem.code, ['steps', step.index, 'config', key], problem.message));
    }
  }
  return problems;
}

async function checkPath(
  step: PlannedStep,
  file: { key: string; path: string; reads: boolean; written: Set<string> },
): Promise<{ code: string; message: string } | undefined> {
  let absolute: string;
  try {
    absolute = await resolveDataPath(file.path);
    if (!file.reads) await checkOutputPath(file.path); // never a file loaded as code
  } catch (error) {
    const code = (error as { code?: string }).code ?? FileErrorCode.PATH_OUTSIDE_DATA_ROOT;
    return { code, message: `Step "${step.id}" (${step.stepType.slug}): ${(error as Error).message}` };
  }
  if (!file.reads) {
    file.written.add(absolute);
    return undefined;
  }
  if (existsSync(absolute) || file.written.has(absolute)) return undefined;
  return {
    code: FileErrorCode.FILE_NOT_FOUND,
    message: `Step "${step.id}" (${step.stepType.slug}) reads "${file.path}", which does not exist under the data root ${filesConfig().dataRoot} and no earlier step writes.`,
  };
}

function fileKeys(step: PlannedStep): FileKeys {
  const files = step.stepType.metadata.files as Partial<Record<keyof FileKeys, unknown>> | undefined;
  const list = (value: unknown) =>
    Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
  return { read: list(files?.read), write: list(files?.write) };
}
