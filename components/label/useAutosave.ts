'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';

export type SaveState = { status: 'idle' | 'saving' | 'saved' | 'error'; savedAt: string | null };

const DEBOUNCE_MS = 700;

/**
 * Saves the editor state to the server a moment after each change, and at once when the page
 * is hidden or closed (a keepalive request outlives the page), so a reload or another browser
 * finds the work where it was left.
 */
export function useAutosave(assignmentId: string, content: unknown, enabled: boolean) {
  const [state, setState] = useState<SaveState>({ status: 'idle', savedAt: null });
  const latest = useRef(content);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const first = useRef(true);

  const save = useCallback(
    async (keepalive = false) => {
      if (!dirty.current) return;
      dirty.current = false;
      setState((s) => ({ ...s, status: 'saving' }));
      try {
        const saved = await api<{ savedAt: string }>(`/api/label/tasks/${assignmentId}/draft`, {
          method: 'PUT',
          body: { content: latest.current },
          keepalive,
        });
        setState({ status: 'saved', savedAt: saved.savedAt });
      } catch {
        dirty.current = true;
        setState((s) => ({ ...s, status: 'error' }));
      }
    },
    [assignmentId],
  );

  useEffect(() => {
    latest.current = content;
    if (first.current) {
      // The initial state came from the server (or is empty): nothing to save yet.
      first.current = false;
      return;
    }
    if (!enabled) return;
    dirty.current = true;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), DEBOUNCE_MS);
  }, [content, enabled, save]);

  useEffect(() => {
    const flush = () => {
      if (timer.current) clearTimeout(timer.current);
      if (enabled) void save(true);
    };
    const onVisibility = () => document.visibilityState === 'hidden' && flush();
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', flush);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', flush);
      if (timer.current) clearTimeout(timer.current);
    };
  }, [enabled, save]);

  /** Stops autosaving (after a submit, the draft is gone on the server). */
  const cancel = useCallback(() => {
    dirty.current = false;
    if (timer.current) clearTimeout(timer.current);
  }, []);

  return { state, cancel };
}
