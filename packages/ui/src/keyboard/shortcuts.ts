/** Everything a key can do in the editor. */
export type Command =
  | 'undo'
  | 'redo'
  | 'copy'
  | 'paste'
  | 'cut'
  | 'duplicate'
  | 'delete'
  | 'selectAll'
  | 'fitView'
  | 'search'
  | 'help'
  | 'escape';

/** One shortcut: the keys (as `Mod+Shift+Z`, `Mod` being Ctrl, or Cmd on a Mac) and what it does. */
export interface Shortcut {
  keys: string;
  command: Command;
  label: string;
}

/** Every shortcut, in the order the help panel lists them. */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Mod+Z', command: 'undo', label: 'Undo the last edit' },
  { keys: 'Mod+Shift+Z', command: 'redo', label: 'Redo' },
  { keys: 'Mod+Y', command: 'redo', label: 'Redo' },
  { keys: 'Mod+C', command: 'copy', label: 'Copy the selected steps (as a workflow document)' },
  { keys: 'Mod+X', command: 'cut', label: 'Cut the selected steps' },
  { keys: 'Mod+V', command: 'paste', label: 'Paste steps (also from another workflow or a file)' },
  { keys: 'Mod+D', command: 'duplicate', label: 'Duplicate the selected steps' },
  { keys: 'Delete', command: 'delete', label: 'Delete the selected steps or connection' },
  { keys: 'Backspace', command: 'delete', label: 'Delete the selected steps or connection' },
  { keys: 'Mod+A', command: 'selectAll', label: 'Select every step' },
  { keys: '1', command: 'fitView', label: 'Zoom to fit' },
  { keys: '/', command: 'search', label: 'Search the palette; Enter adds the step after the selection' },
  { keys: '?', command: 'help', label: 'Show or hide this list' },
  { keys: 'Escape', command: 'escape', label: 'Clear the selection, close a panel' },
];

/** The parts of a keyboard event a shortcut looks at. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The `keys` text of a key press, in the form {@link SHORTCUTS} uses. */
export function keysOf(press: KeyPress): string {
  const parts: string[] = [];
  if (press.ctrlKey || press.metaKey) parts.push('Mod');
  // '?' and '!' already carry the Shift that produced them
  const printable = press.key.length === 1 && !/[a-z0-9]/i.test(press.key);
  if (press.shiftKey && !printable) parts.push('Shift');
  if (press.altKey) parts.push('Alt');
  parts.push(press.key.length === 1 ? press.key.toUpperCase() : press.key);
  return parts.join('+');
}

const byKeys = new Map(SHORTCUTS.map((shortcut) => [shortcut.keys.toUpperCase(), shortcut.command]));

/**
 * The command of a key press, or undefined. Keys typed into a text field belong to the field, except
 * Escape; `inField` says whether the event's target is one.
 */
export function commandOf(press: KeyPress, inField: boolean): Command | undefined {
  const command = byKeys.get(keysOf(press).toUpperCase());
  if (inField && command !== 'escape') return undefined;
  return command;
}
