import type { EndpointView } from '@/lib/generation/endpoints';

export type { GenerationRunView } from '@/lib/generation/runs';
export type { ItemRef } from '@/lib/projects/item-refs';

/** What the form needs of an active endpoint: its name and the defaults to prefill. */
export type EndpointChoice = Pick<EndpointView, 'id' | 'name' | 'model' | 'defaults'>;

export const runsUrl = (slug: string) => `/api/admin/projects/${encodeURIComponent(slug)}/generation`;
export const runUrl = (slug: string, id: string) => `${runsUrl(slug)}/${encodeURIComponent(id)}`;

export const isRunning = (status: string) => status === 'QUEUED' || status === 'RUNNING';
