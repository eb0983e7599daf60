/** A figure to `digits` decimals, or "—" with a "not enough data" hint when it is undefined. */
export function formatFigure(value: number | null, digits = 3): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}

export function Figure({
  value,
  hint,
  digits = 3,
  size = 'large',
  testId,
}: {
  value: number | null;
  hint: string;
  digits?: number;
  size?: 'large' | 'small';
  testId?: string;
}) {
  const text = formatFigure(value, digits);
  const className = size === 'large' ? 'text-2xl font-bold tabular-nums' : 'tabular-nums';
  if (text !== null) {
    return (
      <span className={className} data-testid={testId}>
        {text}
      </span>
    );
  }
  return (
    <span data-testid={testId} title={hint}>
      <span className={className} aria-hidden="true">
        —
      </span>{' '}
      <span className="text-xs font-normal text-slate-500">{hint}</span>
    </span>
  );
}
