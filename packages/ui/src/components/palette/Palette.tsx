import type { StepTypeInfo } from '@stepwise/core/model';
import { type KeyboardEvent, type Ref, useMemo, useState } from 'react';
import { searchPalette, signatureOf } from './palette-search.js';

/** The drag-and-drop data type of a palette entry (its value is the slug). */
export const STEP_MIME = 'application/x-stepwise-step';

/** The palette's catalog and what choosing an entry does. */
export interface PaletteProps {
  stepTypes: readonly StepTypeInfo[];
  /** Enter (or a double click) on an entry: add it after the selection. */
  onAppend: (info: StepTypeInfo) => void;
  /** The search box, for the `/` shortcut. */
  searchRef?: Ref<HTMLInputElement>;
}

/**
 * The catalog grouped by category, searchable by name, slug, description and tags. Entries drag
 * onto the canvas (or onto a connection to insert there); Enter adds the highlighted one after the
 * selection; the arrow keys move the highlight.
 */
export function Palette({ stepTypes, onAppend, searchRef }: PaletteProps) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const groups = useMemo(() => searchPalette(stepTypes, query), [stepTypes, query]);
  const flat = useMemo(() => groups.flatMap((group) => group.entries), [groups]);
  const highlighted = flat[Math.min(active, flat.length - 1)];

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => Math.max(0, Math.min(flat.length - 1, current + step)));
    } else if (event.key === 'Enter' && highlighted) {
      event.preventDefault();
      onAppend(highlighted);
    }
  };

  return (
    <nav className="sw-palette" aria-label="Step palette">
      <input
        ref={searchRef}
        type="search"
        placeholder="Search steps ( / )"
        aria-label="Search steps"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      {groups.length === 0 && <p className="sw-empty">No step type matches "{query}".</p>}
      {groups.map((group) => (
        <section key={group.category}>
          <h3>{group.category}</h3>
          <ul>
            {group.entries.map((info) => (
              <li
                key={info.slug}
                className={info === highlighted ? 'sw-palette-entry sw-active' : 'sw-palette-entry'}
                draggable
                title={info.description}
                data-slug={info.slug}
                onDragStart={(event) => {
                  event.dataTransfer.setData(STEP_MIME, info.slug);
                  event.dataTransfer.effectAllowed = 'copy';
                }}
                onDoubleClick={() => onAppend(info)}
              >
                <span className="sw-palette-name">{info.name}</span>
                <span className="sw-palette-types">{signatureOf(info)}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
