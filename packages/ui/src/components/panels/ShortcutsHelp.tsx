import { SHORTCUTS } from '../../keyboard/shortcuts.js';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The keys as a person reads them on this machine: `Ctrl+Z`, or `⌘+Z` on a Mac. */
export function displayKeys(keys: string, mac = isMac): string {
  return keys.replace('Mod', mac ? '⌘' : 'Ctrl');
}

/** Every keyboard shortcut, from the same table the key handler uses. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="sw-overlay" role="dialog" aria-label="Keyboard shortcuts">
      <h3>Keyboard shortcuts</h3>
      <table>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.keys}>
              <td>
                <kbd>{displayKeys(shortcut.keys)}</kbd>
              </td>
              <td>{shortcut.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
