import { type Catalog, PRIMARY_INPUT, type StepTypeInfo } from '@stepwise/core/model';

/** One input port of a step type: its name (`input` for the primary one) and data type. */
export interface InputPort {
  name: string;
  type: string;
}

/** The catalog indexed by slug, with each step type's input ports worked out once. */
export interface CatalogIndex {
  readonly catalog: Catalog;
  readonly bySlug: ReadonlyMap<string, StepTypeInfo>;
  /** The step type's ports, the primary input first; `[]` for a source step or an unknown slug. */
  ports(slug: string): readonly InputPort[];
}

/** Indexes a catalog (`registry.toJSON()`, or the server's catalog endpoint). */
export function indexCatalog(catalog: Catalog): CatalogIndex {
  const bySlug = new Map(catalog.stepTypes.map((info) => [info.slug, info]));
  const ports = new Map<string, InputPort[]>();
  for (const info of catalog.stepTypes) {
    const list: InputPort[] = info.inputType === null ? [] : [{ name: PRIMARY_INPUT, type: info.inputType }];
    for (const [name, type] of Object.entries(info.inputs)) list.push({ name, type });
    ports.set(info.slug, list);
  }
  return { catalog, bySlug, ports: (slug) => ports.get(slug) ?? [] };
}

/** True when steps of this type read a primary input (so the sequential default applies to them). */
export function takesInput(index: CatalogIndex, slug: string): boolean {
  const info = index.bySlug.get(slug);
  return info !== undefined && info.inputType !== null;
}
