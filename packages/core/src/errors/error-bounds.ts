// How much of an error is kept: what a step throws is untrusted, and a 50 MB message must not
// become a 200 MB run record, a 157 MB report or a 210 MB event stream.

/**
 * The limits {@link toStepError} applies, in characters (UTF-16 code units). Documented in
 * docs/reference.md ("What is stored stays small").
 */
export const ERROR_LIMITS = {
  /** One error with its causes and inner errors, all text fields together. */
  total: 64 * 1024,
  /** A message, a stack, or the JSON of `details`, each. */
  text: 16 * 1024,
  /** An error's name. */
  name: 200,
  /** Causes kept below the error itself; deeper ones are replaced by a marker counting them. */
  causeDepth: 5,
  /** Inner errors of an AggregateError kept; the rest are replaced by a marker counting them. */
  innerErrors: 10,
  /** Nesting of `details` kept. */
  detailsDepth: 8,
} as const;

/** What is left of one error's {@link ERROR_LIMITS.total}, spent field by field, first things first. */
export class ErrorBudget {
  left: number = ERROR_LIMITS.total;

  /** `text` cut to `cap` and to what is left, with a marker saying how much was cut. */
  take(text: string, cap: number = ERROR_LIMITS.text): string {
    const kept = cutText(text, Math.min(cap, Math.max(this.left, 0)));
    this.left -= kept.length;
    return kept;
  }

  /** True while something is left for another cause or inner error. */
  get roomy(): boolean {
    return this.left > 256;
  }
}

/**
 * `text` when it fits in `cap` characters, else its start and a marker (`… [cut 52,428,800
 * characters]`) that together fit in `cap`. Cutting a cut text again gives the same text.
 */
export function cutText(text: string, cap: number): string {
  if (text.length <= cap) return text;
  let keep = Math.max(0, cap - cutMarker(text.length).length);
  // never keep half of a surrogate pair
  const last = text.charCodeAt(keep - 1);
  if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep -= 1;
  return `${text.slice(0, keep)}${cutMarker(text.length - keep)}`;
}

function cutMarker(cut: number): string {
  return `… [cut ${cut.toLocaleString('en-US')} characters]`;
}

/**
 * A plain JSON copy of `value` of at most `cap` characters of text and {@link ERROR_LIMITS.detailsDepth}
 * levels: long strings are cut, entries past the budget are dropped with a marker (`"…": "[cut 12
 * keys]"`, `"… [cut 3 items]"`), cycles become `"[cycle]"`. Reads only what it keeps, so a 20 MB
 * object costs what is kept; never throws (a getter that throws leaves its entry out).
 */
export function boundedJson(value: unknown, budget: ErrorBudget, cap: number = ERROR_LIMITS.text): unknown {
  const copier = new JsonCopier(Math.min(cap, Math.max(budget.left, 0)));
  const copy = copier.copy(value, 0);
  budget.left -= Math.min(cap, Math.max(budget.left, 0)) - copier.left;
  return copy;
}

class JsonCopier {
  private readonly path = new Set<object>();
  constructor(public left: number) {}

  copy(value: unknown, depth: number): unknown {
    if (value === null || typeof value === 'boolean') return this.spend(value, 5);
    if (typeof value === 'number') return this.spend(Number.isFinite(value) ? value : null, 8);
    if (typeof value === 'string') return this.text(value);
    if (typeof value === 'bigint') return this.text(`${value}n`);
    if (typeof value !== 'object') return undefined;
    if (this.path.has(value)) return this.text('[cycle]');
    if (depth >= ERROR_LIMITS.detailsDepth) return this.text('[cut: nested too deep]');
    const toJSON = read(() => (value as { toJSON?: unknown }).toJSON);
    if (typeof toJSON === 'function')
      return this.copy(
        read(() => toJSON.call(value)),
        depth + 1,
      );
    this.path.add(value);
    try {
      return Array.isArray(value) ? this.array(value, depth) : this.object(value, depth);
    } finally {
      this.path.delete(value);
    }
  }

  private array(value: readonly unknown[], depth: number): unknown[] {
    const out: unknown[] = [];
    const length = value.length;
    for (let i = 0; i < length; i++) {
      if (this.left <= 0) {
        out.push(`… [cut ${(length - i).toLocaleString('en-US')} items]`);
        break;
      }
      const item = this.copy(
        read(() => value[i]),
        depth + 1,
      );
      out.push(item === undefined ? null : item);
    }
    return out;
  }

  private object(value: object, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = read(() => Object.keys(value)) ?? [];
    for (let i = 0; i < keys.length; i++) {
      if (this.left <= 0) {
        out['…'] = `[cut ${(keys.length - i).toLocaleString('en-US')} keys]`;
        break;
      }
      const key = cutText(keys[i] as string, 256);
      this.left -= key.length + 4;
      const item = this.copy(
        read(() => (value as Record<string, unknown>)[keys[i] as string]),
        depth + 1,
      );
      if (item !== undefined) out[key] = item;
    }
    return out;
  }

  private text(value: string): string {
    const kept = cutText(value, Math.max(this.left, 0));
    this.left -= kept.length + 2;
    return kept;
  }

  private spend<T>(value: T, cost: number): T {
    this.left -= cost;
    return value;
  }
}

function read<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}
