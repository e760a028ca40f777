import { workflowDocumentJsonSchema } from '@stepwise/core';
import { type CommandIO, ExitCode, println } from '../io.js';
import type { GlobalOptions } from '../options.js';

/** `stepwise schema`: the workflow document's JSON Schema, for editors and other tools. */
export async function schemaCommand(io: CommandIO, _options: GlobalOptions): Promise<number> {
  println(io.stdout, JSON.stringify(workflowDocumentJsonSchema(), null, 2));
  return ExitCode.OK;
}
