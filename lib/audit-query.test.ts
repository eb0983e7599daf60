import { describe, expect, it } from 'vitest';
import { auditQueryString, auditWhere, decodeCursor, encodeCursor, parseAuditFilters } from './audit-query.ts';

describe('audit log filters from the query string', () => {
  it('keep valid fields, drop empty ones and normalise the actor email', () => {
    expect(
      parseAuditFilters({ action: 'user.create', actor: ' Admin@Feedloop.local ', entity: 'User', from: '2026-01-01', to: '2026-01-31', cursor: '' }),
    ).toEqual({
      filters: { action: 'user.create', actor: 'admin@feedloop.local', entity: 'User', from: '2026-01-01', to: '2026-01-31' },
      problems: [],
    });
    expect(parseAuditFilters({})).toEqual({ filters: {}, problems: [] });
  });

  it('report and drop a bad field without losing the others', () => {
    const { filters, problems } = parseAuditFilters({ action: 'user.create', from: '2026-02-30', to: 'yesterday', actor: 'nobody', entity: 'User; DROP' });
    expect(filters).toEqual({ action: 'user.create' });
    expect(problems.map((p) => p.field).sort()).toEqual(['actor', 'entity', 'from', 'to']);
    expect(problems.every((p) => p.code === 'invalid')).toBe(true);
  });

  it('take the first of repeated parameters', () => {
    expect(parseAuditFilters({ action: ['user.role', 'user.create'] }).filters).toEqual({ action: 'user.role' });
  });

  it('refuse a backwards date range by dropping its end', () => {
    const { filters, problems } = parseAuditFilters({ from: '2026-03-02', to: '2026-03-01' });
    expect(filters).toEqual({ from: '2026-03-02' });
    expect(problems).toEqual([{ field: 'to', code: 'to_before_from', message: expect.any(String) }]);
  });

  it('turn a date range into whole UTC days, both ends included', () => {
    expect(auditWhere({ from: '2026-03-01', to: '2026-03-01' })).toEqual({
      AND: [{ createdAt: { gte: new Date('2026-03-01T00:00:00.000Z') } }, { createdAt: { lt: new Date('2026-03-02T00:00:00.000Z') } }],
    });
    expect(auditWhere({})).toEqual({});
  });
});

describe('audit log pages', () => {
  it('mark a page boundary by time and id, and read it back', () => {
    const entry = { createdAt: new Date('2026-05-06T07:08:09.123Z'), id: 'cm0abc123' };
    const cursor = encodeCursor(entry);
    expect(decodeCursor(cursor)).toEqual(entry);
    expect(parseAuditFilters({ cursor }).filters).toEqual({ cursor });
    expect(decodeCursor('garbage')).toBeNull();
    expect(parseAuditFilters({ cursor: 'garbage' }).problems[0]?.field).toBe('cursor');
  });

  it('continue strictly after the boundary, newest first', () => {
    const at = new Date('2026-05-06T07:08:09.123Z');
    expect(auditWhere({ cursor: encodeCursor({ createdAt: at, id: 'b' }) })).toEqual({
      AND: [{ OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: 'b' } }] }],
    });
  });

  it('link to the next page with the same filters', () => {
    expect(auditQueryString({ action: 'user.role', actor: 'a@b.co' }, '1.x')).toBe('?action=user.role&actor=a%40b.co&cursor=1.x');
    expect(auditQueryString({})).toBe('');
    expect(auditQueryString({ cursor: '1.x', entity: 'User' })).toBe('?entity=User');
  });
});
