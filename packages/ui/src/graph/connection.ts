import { typesCompatible, type WorkflowDocument } from '@stepwise/core/model';
import type { CatalogIndex } from './catalog.js';
import { dependencies, reaches } from './order.js';

/** A connection the user is drawing: from `source`'s output to `target`'s input named `input`. */
export interface Connection {
  source: string;
  target: string;
  input: string;
}

/** Whether a connection may be made, and if not, why (a sentence to show while dragging). */
export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks a connection by the rules validation applies (core's `typesCompatible` for data types): the
 * input exists on the target's type, the source's output type fits it, and the connection makes no
 * cycle. `reads` (from {@link dependencies}) may be passed in to check many candidates quickly.
 */
export function checkConnection(
  document: WorkflowDocument,
  catalog: CatalogIndex,
  connection: Connection,
  reads?: ReadonlyMap<string, string[]>,
): ConnectionCheck {
  const { source, target, input } = connection;
  const from = document.steps.find((step) => step.id === source);
  const to = document.steps.find((step) => step.id === target);
  if (from === undefined || to === undefined) return { ok: false, reason: 'Both ends must be steps of this workflow.' };
  if (source === target) return { ok: false, reason: `Step "${target}" cannot read its own output.` };
  const produced = catalog.bySlug.get(from.type)?.outputType;
  const port = catalog.ports(to.type).find((candidate) => candidate.name === input);
  if (catalog.bySlug.has(to.type) && port === undefined) {
    const names = catalog.ports(to.type).map((candidate) => candidate.name);
    const known = names.length > 0 ? names.join(', ') : 'none (it is a source step)';
    return { ok: false, reason: `Step "${target}" (${to.type}) has no input "${input}"; its inputs are: ${known}.` };
  }
  if (produced !== undefined && port !== undefined && !typesCompatible(produced, port.type)) {
    return {
      ok: false,
      reason: `Input "${input}" of step "${target}" (${to.type}) expects ${port.type}, but step "${source}" (${from.type}) gives ${produced}.`,
    };
  }
  if (reaches(reads ?? dependencies(document, catalog), source, target)) {
    return { ok: false, reason: `Step "${source}" already reads "${target}"; this connection would make a cycle.` };
  }
  return { ok: true };
}
