import { ApiError } from '@/components/label/api';

export type { EndpointView } from '@/lib/generation/endpoints';

/** The form's inputs by the field names the server reports in its errors. */
export const FIELDS = ['name', 'baseUrl', 'model', 'apiKey', 'defaults.temperature', 'defaults.topP', 'defaults.maxTokens'] as const;
export type Field = (typeof FIELDS)[number];

export const inputId = (field: Field) => `endpoint-${field.replace('.', '-')}`;

/** A refused save: the input it names (when the form has one) and what is wrong with it. */
export interface SaveError {
  field: Field | null;
  message: string;
}

export function isField(value: string | undefined): value is Field {
  return (FIELDS as readonly string[]).includes(value ?? '');
}

/**
 * Splits the server's answer: shown next to the input it names, the "field: " prefix of its
 * message would only repeat the label. Codes with a text of their own (network, session) win.
 */
export function saveError(error: unknown, known: (code: string) => string | null): SaveError {
  const code = error instanceof ApiError ? error.code : 'network';
  const text = known(code);
  if (text !== null || !(error instanceof ApiError)) return { field: null, message: text ?? String(error) };
  const field = isField(error.field) ? error.field : null;
  const message = field && error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
  return { field, message };
}
