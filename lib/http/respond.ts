import { NextResponse } from 'next/server';
import type { ZodType } from 'zod';
import { DomainError, invalidInput } from '../errors.ts';

/** The JSON answer for an error the user can act on: its code, message, field and status. */
export function domainErrorResponse(error: DomainError): Response {
  return NextResponse.json(
    { error: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
    { status: error.status },
  );
}

/** Turns domain errors into JSON answers with their status; anything else is a logged 500. */
export async function respond(work: () => Promise<unknown>, status = 200): Promise<Response> {
  try {
    return NextResponse.json(await work(), { status });
  } catch (error) {
    if (error instanceof DomainError) return domainErrorResponse(error);
    // Work stopped because the client left (its request's signal): nobody reads the answer, and nothing went wrong.
    if (error instanceof Error && error.name === 'AbortError') return NextResponse.json({ error: 'client_closed', message: 'The request was cancelled.' }, { status: 499 });
    console.error(error);
    return NextResponse.json({ error: 'internal', message: 'Something went wrong on our side.' }, { status: 500 });
  }
}

/** Reads and validates a JSON body; a malformed body is a 400 that says what is wrong. */
export async function readJson<T>(request: Request, schema: ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new DomainError('invalid_json', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}
