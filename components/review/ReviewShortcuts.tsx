'use client';

import { useTranslations } from 'next-intl';
import { ShortcutsDialog } from '@/components/ui/ShortcutsDialog';

const SHORTCUTS = [
  { keys: 'a', action: 'approve' },
  { keys: 'r', action: 'reject' },
  { keys: 'e', action: 'revise' },
  { keys: 'Ctrl/⌘ + Enter', action: 'submit' },
  { keys: 'g', action: 'guideline' },
  { keys: '?', action: 'shortcuts' },
  { keys: 'Esc', action: 'escape' },
] as const;

/** The reviewer's keyboard shortcuts (the labeler's list has ranking keys that do not apply here). */
export function ReviewShortcuts({ onClose }: { onClose: () => void }) {
  const t = useTranslations('reviewing');
  const rows = SHORTCUTS.map((s) => ({ keys: s.keys, label: t(`shortcut.${s.action}`) }));
  return <ShortcutsDialog title={t('shortcutsTitle')} rows={rows} onClose={onClose} />;
}
