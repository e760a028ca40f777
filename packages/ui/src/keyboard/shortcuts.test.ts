import { describe, expect, it } from 'vitest';
import { commandOf, keysOf, SHORTCUTS } from './shortcuts.js';

const press = (key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('shortcuts', () => {
  it('maps Ctrl or Cmd + Z to undo and Ctrl+Shift+Z to redo, whatever the letter case', () => {
    expect(commandOf(press('z', { ctrlKey: true }), false)).toBe('undo');
    expect(commandOf(press('z', { metaKey: true }), false)).toBe('undo');
    expect(commandOf(press('Z', { ctrlKey: true, shiftKey: true }), false)).toBe('redo');
    expect(commandOf(press('y', { ctrlKey: true }), false)).toBe('redo');
  });

  it('reads ? as help without asking for Shift, and leaves keys typed into a field to the field', () => {
    expect(commandOf(press('?', { shiftKey: true }), false)).toBe('help');
    expect(commandOf(press('z', { ctrlKey: true }), true)).toBeUndefined();
    expect(commandOf(press('Backspace'), true)).toBeUndefined();
    expect(commandOf(press('Escape'), true)).toBe('escape');
  });

  it('lists every shortcut once by its keys, and each parses back to its own command', () => {
    const keys = SHORTCUTS.map((shortcut) => shortcut.keys);
    expect(new Set(keys).size).toBe(keys.length);
    for (const shortcut of SHORTCUTS) {
      const parts = shortcut.keys.split('+');
      const key = parts.at(-1) as string;
      const event = press(key === key.toUpperCase() && key.length === 1 ? key.toLowerCase() : key, {
        ctrlKey: parts.includes('Mod'),
        shiftKey: parts.includes('Shift'),
      });
      expect(commandOf(event, false), shortcut.keys).toBe(shortcut.command);
    }
    expect(keysOf(press('a', { ctrlKey: true }))).toBe('Mod+A');
  });
});
