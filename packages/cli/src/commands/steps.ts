import type { StepTypeInfo } from '@stepwise/core';
import Table from 'cli-table3';
import { type CommandIO, ExitCode, println, useColor } from '../io.js';
import type { GlobalOptions } from '../options.js';
import { openProject } from '../project.js';
import { colors } from '../view/format.js';

/** Options of `stepwise steps`. */
export interface StepsOptions extends GlobalOptions {
  json?: boolean;
}

/** `stepwise steps`: the catalog of the project's step types, as a table or as JSON. */
export async function stepsCommand(io: CommandIO, options: StepsOptions): Promise<number> {
  const project = await openProject(io, options);
  const catalog = project.registry.toJSON();
  if (options.json) {
    println(io.stdout, JSON.stringify(catalog, null, 2));
    return ExitCode.OK;
  }
  const color = useColor(io.stdout, io.env);
  const c = colors(color);
  const table = new Table({
    head: ['slug', 'name', 'input → output', 'mode', 'params (default)'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    wordWrap: true,
  });
  for (const step of catalog.stepTypes) {
    table.push([c.bold(step.slug), step.name, signature(step), step.mode, paramLines(step).join('\n')]);
  }
  println(io.stdout, table.toString());
  println(io.stdout, c.dim(`${catalog.stepTypes.length} step types. Details: stepwise steps --json`));
  return ExitCode.OK;
}

/** `DataFrame → DataFrame`, `(source) → DataFrame`, `DataFrame, right: DataFrame → DataFrame`. */
export function signature(step: StepTypeInfo): string {
  const extra = Object.entries(step.inputs).map(([name, type]) => `${name}: ${type}`);
  const inputs = [step.inputType ?? '(source)', ...extra].join(', ');
  return `${inputs} → ${step.outputType}`;
}

/** One line per parameter: `name: type = default`, required ones marked `(required)`. */
export function paramLines(step: StepTypeInfo): string[] {
  const schema = step.params as {
    properties?: Record<string, { type?: unknown; default?: unknown }>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const type = Array.isArray(property.type) ? property.type.join('|') : String(property.type ?? 'any');
    const fallback = step.defaults?.[name] ?? property.default;
    if (fallback !== undefined) return `${name}: ${type} = ${JSON.stringify(fallback)}`;
    return required.has(name) ? `${name}: ${type} (required)` : `${name}: ${type}`;
  });
}
