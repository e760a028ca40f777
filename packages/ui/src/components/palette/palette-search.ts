import type { StepTypeInfo } from '@stepwise/core/model';

/** One palette group: a category and its step types, sorted by name. */
export interface PaletteGroup {
  category: string;
  entries: StepTypeInfo[];
}

/** The step type's palette category (`metadata.category`), or `other`. */
export function categoryOf(info: StepTypeInfo): string {
  const category = info.metadata.category;
  return typeof category === 'string' && category.length > 0 ? category : 'other';
}

function tagsOf(info: StepTypeInfo): string[] {
  const tags = info.metadata.tags;
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [];
}

/**
 * The step types matching `query` (every word found in the name, slug, description or tags,
 * ignoring case), grouped by category, categories and entries sorted by name.
 */
export function searchPalette(stepTypes: readonly StepTypeInfo[], query: string): PaletteGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = new Map<string, StepTypeInfo[]>();
  for (const info of stepTypes) {
    const text = [info.name, info.slug, info.description, ...tagsOf(info)].join(' ').toLowerCase();
    if (!words.every((word) => text.includes(word))) continue;
    const category = categoryOf(info);
    groups.set(category, [...(groups.get(category) ?? []), info]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, entries]) => ({ category, entries: entries.sort((a, b) => a.name.localeCompare(b.name)) }));
}

/** What a step type reads and gives, for the palette: `JSON, right: JSON → JSON`, `source → Text`. */
export function signatureOf(info: StepTypeInfo): string {
  const inputs = [
    ...(info.inputType === null ? [] : [info.inputType]),
    ...Object.entries(info.inputs).map(([name, type]) => `${name}: ${type}`),
  ];
  return `${inputs.length > 0 ? inputs.join(', ') : 'source'} → ${info.outputType}`;
}
