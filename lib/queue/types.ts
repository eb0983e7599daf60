import type { DiffLine } from '../guidelines/diff.ts';
import type { GuidelineView } from '../guidelines/gate.ts';

export type LabelKind = 'DEMONSTRATION' | 'RANKING';

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

export interface Task {
  assignmentId: string;
  kind: LabelKind;
  leaseExpiresAt: string;
  project: { slug: string; name: string; instructions: string };
  item: { id: string; system: string | null; messages: Turn[] };
  /** Ranking tasks only: candidates in this labeler's stored random order, without model names. */
  candidates: { id: string; content: string }[];
  draft: { content: unknown; revision: number; updatedAt: string } | null;
}

export type NextTask =
  | { status: 'task'; task: Task }
  | { status: 'needs_ack'; guideline: GuidelineView; previous: { version: number; diff: DiffLine[] } | null }
  | { status: 'empty' }
  | { status: 'paused' };
