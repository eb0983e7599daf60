import type { DiffLine } from '@/lib/guidelines/diff';

export function GuidelineDiff({ lines }: { lines: DiffLine[] }) {
  return (
    <pre className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-white p-2 text-xs leading-5" data-testid="guideline-diff">
      {lines.map((line, index) => (
        <div
          key={index}
          data-kind={line.kind}
          className={line.kind === 'added' ? 'bg-green-50 text-green-900' : line.kind === 'removed' ? 'bg-red-50 text-red-900 line-through' : 'text-slate-500'}
        >
          {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '− ' : '  '}
          {line.text}
        </div>
      ))}
    </pre>
  );
}
