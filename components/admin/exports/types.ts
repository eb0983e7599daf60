export type { ExportRunView } from '@/lib/export/storage';

/** A project the export form offers, with its published guideline versions. */
export interface ProjectChoice {
  slug: string;
  name: string;
  guidelineVersions: number[];
}

/** An API token as listed (never the token itself); dates as ISO strings. */
export interface TokenView {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  user: { email: string };
}

/** The one answer that carries a token. */
export interface CreatedToken {
  id: string;
  name: string;
  token: string;
}

export const fileUrl = (runId: string, name: string) => `/api/admin/exports/${encodeURIComponent(runId)}/files/${encodeURIComponent(name)}`;
