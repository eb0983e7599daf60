import { afterEach, describe, expect, it, vi } from 'vitest';
import { DomainError } from '../errors.ts';
import { respond } from './respond.ts';

describe('respond', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers a domain error with its status, code and field, and logs nothing', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await respond(async () => {
      throw new DomainError('invalid_input', 'limit: too big', 400, 'limit');
    });
    expect([response.status, await response.json()]).toEqual([400, { error: 'invalid_input', message: 'limit: too big', field: 'limit' }]);
    expect(log).not.toHaveBeenCalled();
  });

  it('answers work stopped because the client left with 499, and logs nothing', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const left = new AbortController();
    left.abort();
    const response = await respond(async () => left.signal.throwIfAborted());
    expect(response.status).toBe(499);
    expect(log).not.toHaveBeenCalled();
  });

  it('answers anything else with a logged 500 that reveals nothing', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await respond(async () => {
      throw new Error('password=hunter2 in a stack trace');
    });
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain('hunter2');
    expect(log).toHaveBeenCalledTimes(1);
  });
});
