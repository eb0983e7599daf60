import type { Turn } from '../queue/types.ts';

export interface ReviewPasteStats {
  pastedChars: number;
  pasteEvents: number;
  totalChars: number;
}

/** The guideline version a submission was made under, with its text for the drawer. */
export interface ReviewGuideline {
  id: string;
  version: number;
  title: string;
  body: string;
}

/** A demonstration handed to a reviewer: the conversation, the reply and how it was written. */
export interface ReviewTask {
  assignmentId: string;
  leaseExpiresAt: string;
  project: { slug: string; name: string };
  item: { id: string; system: string | null; messages: Turn[] };
  demonstration: {
    id: string;
    /** The reply: the assistant turn, then any follow-up turns the labeler wrote. */
    messages: Turn[];
    isRefusal: boolean;
    fromAllBad: boolean;
    pasteStats: ReviewPasteStats | null;
    timeSpentMs: number | null;
    createdAt: string;
  };
  guideline: ReviewGuideline | null;
}

export type NextReview = { status: 'task'; task: ReviewTask } | { status: 'empty' };

export interface VerdictResult {
  /** The Review row. */
  id: string;
  verdict: 'APPROVE' | 'REJECT' | 'REVISE';
  demonstrationId: string;
  /** REVISE only: the new Demonstration row that corrects the original. */
  revisionId: string | null;
  /** True when this was a retry of a verdict already stored (same client key). */
  duplicate: boolean;
}
