import { describe, expect, it } from 'vitest';
import { compareInput, guidelineContentInput, publishInput } from './admin.ts';
import { GUIDELINE_BODY_MAX, GUIDELINE_TITLE_MAX } from './limits.ts';
import { GUIDELINE_TEMPLATE_BODY, GUIDELINE_TEMPLATE_TITLE } from './template.ts';

function firstIssue(schema: { safeParse(input: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, input: unknown) {
  const parsed = schema.safeParse(input);
  if (parsed.success) return null;
  const issue = parsed.error!.issues[0]!;
  return { path: issue.path.join('.'), message: issue.message };
}

describe('guideline input', () => {
  it('limits the title to 1–200 characters and names the field', () => {
    expect(firstIssue(guidelineContentInput, { title: '   ', body: 'x' })).toEqual({ path: 'title', message: 'must not be empty' });
    expect(firstIssue(guidelineContentInput, { title: 'x'.repeat(GUIDELINE_TITLE_MAX + 1), body: 'x' })).toEqual({
      path: 'title',
      message: 'must be at most 200 characters',
    });
    expect(firstIssue(guidelineContentInput, { body: 'x' })).toMatchObject({ path: 'title' });
  });

  it('limits the body to 1–100,000 characters and names the field', () => {
    expect(firstIssue(guidelineContentInput, { title: 'ok', body: ' \n\t ' })).toEqual({ path: 'body', message: 'must not be empty' });
    expect(firstIssue(guidelineContentInput, { title: 'ok', body: 'x'.repeat(GUIDELINE_BODY_MAX + 1) })).toEqual({
      path: 'body',
      message: 'must be at most 100,000 characters',
    });
    expect(firstIssue(guidelineContentInput, { title: 'x'.repeat(GUIDELINE_TITLE_MAX), body: 'x'.repeat(GUIDELINE_BODY_MAX) })).toBeNull();
  });

  it('trims the title and stores line endings as \\n', () => {
    expect(guidelineContentInput.parse({ title: '  Rules  ', body: 'a\r\nb\rc' })).toEqual({ title: 'Rules', body: 'a\nb\nc' });
    // A body of 100,000 characters with Windows line endings is measured after they become \n.
    expect(guidelineContentInput.safeParse({ title: 't', body: 'ab\r\n'.repeat(GUIDELINE_BODY_MAX / 3) }).success).toBe(true);
  });

  it('publishes the saved draft when given no text, and wants title and body together otherwise', () => {
    expect(publishInput.parse({})).toEqual({});
    expect(publishInput.parse({ title: 'T', body: 'B', baseVersion: 2 })).toEqual({ title: 'T', body: 'B', baseVersion: 2 });
    expect(firstIssue(publishInput, { title: 'only a title' })).toMatchObject({ path: 'body' });
    expect(firstIssue(publishInput, { body: 'only a body' })).toMatchObject({ path: 'title' });
    expect(firstIssue(publishInput, { baseVersion: -1 })).toMatchObject({ path: 'baseVersion' });
  });

  it('compares two version numbers given as query strings', () => {
    expect(compareInput.parse({ left: '1', right: '3' })).toEqual({ left: 1, right: 3 });
    expect(firstIssue(compareInput, { left: '0', right: '2' })).toMatchObject({ path: 'left' });
    expect(firstIssue(compareInput, { left: '1', right: 'x' })).toMatchObject({ path: 'right' });
  });
});

describe('guideline template', () => {
  it('has helpful, truthful and harmless sections and the three worked examples', () => {
    const headings = GUIDELINE_TEMPLATE_BODY.split('\n').filter((line) => line.startsWith('#'));
    expect(headings).toEqual(
      expect.arrayContaining(['## Helpful', '## Truthful', '## Harmless', '## Worked examples', '### A good reply', '### A good refusal', '### A hallucination']),
    );
    expect(headings.indexOf('## Helpful')).toBeLessThan(headings.indexOf('## Truthful'));
    expect(headings.indexOf('## Truthful')).toBeLessThan(headings.indexOf('## Harmless'));
  });

  it('is valid guideline input as it stands', () => {
    expect(guidelineContentInput.safeParse({ title: GUIDELINE_TEMPLATE_TITLE, body: GUIDELINE_TEMPLATE_BODY }).success).toBe(true);
  });
});
