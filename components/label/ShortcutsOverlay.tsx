'use client';

import { useTranslations } from 'next-intl';
import { ShortcutsDialog } from '@/components/ui/ShortcutsDialog';

const SHORTCUTS = [
  { keys: 'Ctrl/⌘ + Enter', action: 'submit' },
  { keys: 'g', action: 'guideline' },
  { keys: 's', action: 'skip' },
  { keys: 'f', action: 'flagItem' },
  { keys: '?', action: 'shortcuts' },
  { keys: 'Esc', action: 'escape' },
  { keys: '1 – 9', action: 'place' },
  { keys: '↑ ↓', action: 'move' },
  { keys: 'j / k', action: 'select' },
  { keys: '0', action: 'unplace' },
] as const;

export function ShortcutsOverlay({ onClose }: { onClose: () => void }) {
  const t = useTranslations('work');
  const rows = SHORTCUTS.map((s) => ({ keys: s.keys, label: t(`shortcut.${s.action}`) }));
  return <ShortcutsDialog title={t('shortcutsTitle')} rows={rows} onClose={onClose} />;
}
