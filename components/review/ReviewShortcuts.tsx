'use client';

import { useTranslations } from 'next-intl';

const SHORTCUTS = [
  { keys: 'a', action: 'approve' },
  { keys: 'r', action: 'reject' },
  { keys: 'e', action: 'revise' },
  { keys: 'Ctrl/⌘ + Enter', action: 'submit' },
  { keys: 'g', action: 'guideline' },
  { keys: '?', action: 'shortcuts' },
  { keys: 'Esc', action: 'escape' },
] as const;

/** The reviewer's keyboard shortcuts (the labeler's overlay lists ranking keys that do not apply here). */
export function ReviewShortcuts({ onClose }: { onClose: () => void }) {
  const t = useTranslations('reviewing');
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/30" onClick={onClose}>
      <div role="dialog" aria-label={t('shortcutsTitle')} data-testid="shortcuts" className="w-full max-w-md rounded-xl bg-white p-5 shadow-xl" onClick={(e) => e.stopPropagation()}>
        <h2 className="mb-3 text-lg font-semibold">{t('shortcutsTitle')}</h2>
        <table className="w-full text-sm">
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.action} className="border-t border-slate-100">
                <td className="py-1 pr-4">
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono text-xs">{shortcut.keys}</kbd>
                </td>
                <td className="py-1">{t(`shortcut.${shortcut.action}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
