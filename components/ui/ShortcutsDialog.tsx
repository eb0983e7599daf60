'use client';

/** A keyboard-shortcut list in a dialog; each screen passes its own keys, already translated. */
export function ShortcutsDialog({ title, rows, onClose }: { title: string; rows: { keys: string; label: string }[]; onClose: () => void }) {
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/30" onClick={onClose}>
      <div role="dialog" aria-label={title} data-testid="shortcuts" className="w-full max-w-md rounded-xl bg-white p-5 shadow-xl" onClick={(e) => e.stopPropagation()}>
        <h2 className="mb-3 text-lg font-semibold">{title}</h2>
        <table className="w-full text-sm">
          <tbody>
            {rows.map((row) => (
              <tr key={row.keys} className="border-t border-slate-100">
                <td className="py-1 pr-4">
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono text-xs">{row.keys}</kbd>
                </td>
                <td className="py-1">{row.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
