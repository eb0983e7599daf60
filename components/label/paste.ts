import type { ClipboardEvent } from 'react';
import type { PasteStats } from '@/lib/annotation/schemas';

/** Adds one paste event to the running statistics of a text field. */
export function withPaste(stats: PasteStats, event: ClipboardEvent<HTMLTextAreaElement>): PasteStats {
  const pasted = event.clipboardData.getData('text').length;
  return { pastedChars: stats.pastedChars + pasted, pasteEvents: stats.pasteEvents + 1 };
}

export const NO_PASTE: PasteStats = { pastedChars: 0, pasteEvents: 0 };
