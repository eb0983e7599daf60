'use client';

import { useEffect, type Dispatch, type SetStateAction } from 'react';
import { isTextEntry } from './keyboard';

const NO_MORE_KEYS: Record<string, never> = {};

/**
 * The workbenches' single-key shortcuts: Esc closes the open panel (or leaves a text field),
 * `?` toggles the shortcut list, `g` the guideline, and `open` maps further keys to panels.
 * Keys are ignored while typing or with a modifier held.
 */
export function usePanelKeys<P extends string>(
  panel: P | 'none' | 'shortcuts' | 'guideline',
  setPanel: Dispatch<SetStateAction<P | 'none' | 'shortcuts' | 'guideline'>>,
  open: Record<string, P> = NO_MORE_KEYS,
) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        if (panel !== 'none') setPanel('none');
        else if (event.target instanceof HTMLElement) event.target.blur();
        return;
      }
      if (isTextEntry(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === '?') setPanel((p) => (p === 'shortcuts' ? 'none' : 'shortcuts'));
      else if (event.key === 'g') setPanel((p) => (p === 'guideline' ? 'none' : 'guideline'));
      else if (open[event.key]) {
        event.preventDefault();
        setPanel(open[event.key]!);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [panel, setPanel, open]);
}
