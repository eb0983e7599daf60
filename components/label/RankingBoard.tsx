'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState, type DragEvent } from 'react';
import { Markdown } from '@/components/ui/Markdown';
import { CANDIDATE_FLAGS, RATING_DIMENSIONS, type CandidateFlag, type PasteStats, type Ratings } from '@/lib/annotation/schemas';
import { emptyBoard, isComplete, move, placeInTier, tierOf, unplace, type Board } from '@/lib/annotation/tiers';
import { rationaleRequired } from '@/lib/annotation/validate-ranking';
import type { Task } from '@/lib/queue/types';
import { uuidV4 } from '@/lib/uuid';
import { api, ApiError } from './api';
import { isTextEntry } from './keyboard';
import { Conversation } from './Conversation';
import { NO_PASTE, withPaste } from './paste';
import { SaveIndicator } from './SaveIndicator';
import { SubmitButton } from './SubmitButton';
import { SubmitError } from './SubmitError';
import { useAutosave } from './useAutosave';

const LETTERS = 'ABCDEFGHI';

interface DraftState {
  clientKey: string;
  board: Board;
  ratings: Record<string, Partial<Ratings>>;
  flags: Record<string, CandidateFlag[]>;
  rationale: string;
  allBad: { enabled: boolean; reply: string; isRefusal: boolean; paste: PasteStats };
}

function restore(task: Task): DraftState {
  const saved = (task.draft?.content ?? {}) as Partial<DraftState>;
  const ids = task.candidates.map((c) => c.id);
  return {
    clientKey: typeof saved.clientKey === 'string' ? saved.clientKey : uuidV4(),
    board: saved.board ?? emptyBoard(ids),
    ratings: saved.ratings ?? {},
    flags: saved.flags ?? {},
    rationale: saved.rationale ?? '',
    allBad: saved.allBad ?? { enabled: false, reply: '', isRefusal: false, paste: NO_PASTE },
  };
}

export function RankingBoard({ task, onDone }: { task: Task; onDone: () => void }) {
  const t = useTranslations('work');
  const [draft, setDraft] = useState<DraftState>(() => restore(task));
  const [selected, setSelected] = useState<string | null>(task.candidates[0]?.id ?? null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [startedAt] = useState(() => Date.now());
  const { state: saveState, cancel } = useAutosave(task.assignmentId, draft, !pending);
  const ids = task.candidates.map((c) => c.id);
  const letter = (id: string) => LETTERS[ids.indexOf(id)] ?? '?';

  const setBoard = (board: Board) => setDraft((d) => ({ ...d, board }));
  const needsRationale = rationaleRequired({ tiers: draft.board.tiers, flags: draft.flags });

  /** After placing a candidate, go on to the next one still unplaced (keyboard flow: 1, 1, 2, 3). */
  const placeSelected = (tier: number) => {
    if (!selected) return;
    const board = placeInTier(draft.board, selected, tier);
    setBoard(board);
    const next = ids.find((id) => board.unplaced.includes(id));
    if (next) setSelected(next);
  };

  const problems = (): string | null => {
    if (!isComplete(draft.board)) return t('problemUnplaced');
    const unrated = ids.find((id) => RATING_DIMENSIONS.some((dim) => !draft.ratings[id]?.[dim]));
    if (unrated) return t('problemUnrated', { letter: letter(unrated) });
    if (needsRationale && !draft.rationale.trim()) return t('problemRationale');
    if (draft.allBad.enabled && !draft.allBad.reply.trim()) return t('problemAllBadReply');
    return null;
  };

  const submit = async () => {
    if (pending) return;
    const problem = problems();
    if (problem) {
      setError(new ApiError('incomplete', problem, 400));
      return;
    }
    setPending(true);
    setError(null);
    try {
      await api(`/api/label/tasks/${task.assignmentId}/ranking`, {
        method: 'POST',
        body: {
          clientKey: draft.clientKey,
          tiers: draft.board.tiers,
          ratings: draft.ratings,
          flags: draft.flags,
          rationale: draft.rationale,
          allBad: draft.allBad.enabled
            ? { reply: draft.allBad.reply, isRefusal: draft.allBad.isRefusal, paste: draft.allBad.paste }
            : undefined,
          timeSpentMs: Date.now() - startedAt,
        },
      });
      cancel();
      onDone();
    } catch (e) {
      setError(e as ApiError);
      setPending(false);
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void submit();
        return;
      }
      if (isTextEntry(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const index = selected ? ids.indexOf(selected) : -1;
      if (/^[1-9]$/.test(event.key)) {
        event.preventDefault();
        placeSelected(Number(event.key) - 1);
      } else if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && selected) {
        event.preventDefault();
        setBoard(move(draft.board, selected, event.key === 'ArrowUp' ? 'up' : 'down'));
      } else if (event.key === 'j' || event.key === 'ArrowRight') {
        setSelected(ids[Math.min(index + 1, ids.length - 1)] ?? null);
      } else if (event.key === 'k' || event.key === 'ArrowLeft') {
        setSelected(ids[Math.max(index - 1, 0)] ?? null);
      } else if ((event.key === '0' || event.key === 'Backspace') && selected) {
        setBoard(unplace(draft.board, selected));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const onDrop = (tier: number | 'new' | 'pool') => (event: DragEvent) => {
    event.preventDefault();
    const id = event.dataTransfer.getData('text/plain');
    if (!ids.includes(id)) return;
    if (tier === 'pool') setBoard(unplace(draft.board, id));
    else setBoard(placeInTier(draft.board, id, tier === 'new' ? draft.board.tiers.length : tier));
  };
  const chip = (id: string) => (
    <button
      key={id}
      type="button"
      draggable
      onDragStart={(e) => e.dataTransfer.setData('text/plain', id)}
      onClick={() => setSelected(id)}
      data-testid={`chip-${letter(id)}`}
      className={`cursor-grab rounded-md border px-3 py-1 text-sm font-semibold ${selected === id ? 'border-brand-600 bg-brand-50' : 'border-slate-300 bg-white'}`}
    >
      {letter(id)}
    </button>
  );

  const setRating = (id: string, dimension: (typeof RATING_DIMENSIONS)[number], value: number) =>
    setDraft((d) => ({ ...d, ratings: { ...d.ratings, [id]: { ...d.ratings[id], [dimension]: value } } }));
  const toggleFlag = (id: string, flag: CandidateFlag) =>
    setDraft((d) => {
      const current = d.flags[id] ?? [];
      const next = current.includes(flag) ? current.filter((f) => f !== flag) : [...current, flag];
      return { ...d, flags: { ...d.flags, [id]: next } };
    });

  return (
    <div className="space-y-4">
      <Conversation system={task.item.system} messages={task.item.messages} />

      <div className="grid gap-4 lg:grid-cols-[1fr_18rem]">
        <div className="grid gap-3 md:grid-cols-2">
          {task.candidates.map((candidate) => {
            const tier = tierOf(draft.board, candidate.id);
            const tied = tier >= 0 && (draft.board.tiers[tier]?.length ?? 0) > 1;
            return (
              <article
                key={candidate.id}
                data-testid={`candidate-${letter(candidate.id)}`}
                tabIndex={0}
                onFocus={() => setSelected(candidate.id)}
                onClick={() => setSelected(candidate.id)}
                className={`flex flex-col rounded-xl border bg-white p-3 outline-none ${selected === candidate.id ? 'border-brand-600 ring-2 ring-brand-100' : 'border-slate-200'}`}
              >
                <header className="flex items-center gap-2">
                  <span className="rounded bg-slate-800 px-2 py-0.5 text-sm font-bold text-white">{letter(candidate.id)}</span>
                  <span data-testid={`tier-of-${letter(candidate.id)}`} className="text-sm text-slate-600">
                    {tier >= 0 ? t(tied ? 'rankTied' : 'rank', { n: tier + 1 }) : t('unranked')}
                  </span>
                </header>
                <div className="mt-2 max-h-72 overflow-y-auto text-sm">
                  <Markdown text={candidate.content} />
                </div>
                <div className="mt-3 space-y-1 border-t border-slate-100 pt-2 text-sm">
                  {RATING_DIMENSIONS.map((dimension) => (
                    <fieldset key={dimension} className="flex items-center gap-1">
                      <legend className="sr-only">
                        {letter(candidate.id)} {t(`dimensions.${dimension}`)}
                      </legend>
                      <span className="w-20 text-slate-600" aria-hidden>
                        {t(`dimensions.${dimension}`)}
                      </span>
                      {[1, 2, 3, 4, 5].map((value) => (
                        <label key={value} className="cursor-pointer">
                          <input
                            type="radio"
                            className="peer sr-only"
                            name={`${candidate.id}-${dimension}`}
                            aria-label={`${letter(candidate.id)} ${t(`dimensions.${dimension}`)} ${value}`}
                            checked={draft.ratings[candidate.id]?.[dimension] === value}
                            onChange={() => setRating(candidate.id, dimension, value)}
                          />
                          <span className="inline-block w-7 rounded border border-slate-300 text-center peer-checked:border-brand-600 peer-checked:bg-brand-600 peer-checked:text-white peer-focus-visible:ring-2 peer-focus-visible:ring-brand-100">
                            {value}
                          </span>
                        </label>
                      ))}
                    </fieldset>
                  ))}
                  <div className="flex flex-wrap gap-x-3 gap-y-1 pt-1">
                    {CANDIDATE_FLAGS.map((flag) => (
                      <label key={flag} className="flex items-center gap-1 text-xs text-slate-700">
                        <input
                          type="checkbox"
                          aria-label={`${letter(candidate.id)} ${t(`flags.${flag}`)}`}
                          checked={draft.flags[candidate.id]?.includes(flag) ?? false}
                          onChange={() => toggleFlag(candidate.id, flag)}
                        />
                        {t(`flags.${flag}`)}
                      </label>
                    ))}
                  </div>
                </div>
              </article>
            );
          })}
        </div>

        <aside className="space-y-3 lg:sticky lg:top-4 lg:self-start">
          <section className="rounded-xl border border-slate-200 bg-white p-3" data-testid="tiers">
            <h2 className="text-sm font-semibold">{t('yourRanking')}</h2>
            <p className="text-xs text-slate-500">{t('rankingHelp')}</p>
            <ol className="mt-2 space-y-2">
              {draft.board.tiers.map((tier, index) => (
                <li
                  key={index}
                  onDragOver={(e) => e.preventDefault()}
                  onDrop={onDrop(index)}
                  data-testid={`tier-${index + 1}`}
                  className="flex min-h-10 items-center gap-2 rounded-md border border-slate-200 bg-slate-50 p-1"
                >
                  <span className="w-6 text-center text-xs font-semibold text-slate-500">{index + 1}</span>
                  {tier.map(chip)}
                </li>
              ))}
              <li
                onDragOver={(e) => e.preventDefault()}
                onDrop={onDrop('new')}
                data-testid="new-tier"
                className="rounded-md border border-dashed border-slate-300 p-2 text-center text-xs text-slate-500"
              >
                {t('dropNewTier')}
              </li>
            </ol>
            <div onDragOver={(e) => e.preventDefault()} onDrop={onDrop('pool')} className="mt-3 flex min-h-10 flex-wrap gap-2 rounded-md bg-slate-100 p-2" data-testid="unplaced">
              <span className="w-full text-xs text-slate-500">{t('unranked')}</span>
              {draft.board.unplaced.map(chip)}
            </div>
          </section>

          <section className="rounded-xl border border-slate-200 bg-white p-3">
            <label className="block text-sm">
              <span className="font-semibold">{t('rationale')}</span>
              {needsRationale && <span className="ml-1 text-xs text-amber-700">{t('rationaleRequired')}</span>}
              <textarea
                value={draft.rationale}
                onChange={(e) => setDraft((d) => ({ ...d, rationale: e.target.value }))}
                rows={3}
                data-testid="rationale"
                className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
              />
            </label>
            <label className="mt-3 flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={draft.allBad.enabled}
                onChange={(e) => setDraft((d) => ({ ...d, allBad: { ...d.allBad, enabled: e.target.checked } }))}
              />
              {t('allBad')}
            </label>
            {draft.allBad.enabled && (
              <div className="mt-2">
                <p className="text-xs text-slate-600">{t('allBadHelp')}</p>
                <textarea
                  aria-label={t('betterReply')}
                  value={draft.allBad.reply}
                  rows={5}
                  onPaste={(e) => setDraft((d) => ({ ...d, allBad: { ...d.allBad, paste: withPaste(d.allBad.paste, e) } }))}
                  onChange={(e) => setDraft((d) => ({ ...d, allBad: { ...d.allBad, reply: e.target.value } }))}
                  className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 font-mono text-sm"
                />
                <label className="mt-1 flex items-center gap-2 text-xs">
                  <input
                    type="checkbox"
                    checked={draft.allBad.isRefusal}
                    onChange={(e) => setDraft((d) => ({ ...d, allBad: { ...d.allBad, isRefusal: e.target.checked } }))}
                  />
                  {t('shouldRefuse')}
                </label>
              </div>
            )}
          </section>

          {error && <SubmitError error={error} onNext={onDone} />}
          <div className="flex items-center gap-2">
            <SaveIndicator state={saveState} />
            <SubmitButton pending={pending} onSubmit={() => void submit()} />
          </div>
        </aside>
      </div>
    </div>
  );
}
