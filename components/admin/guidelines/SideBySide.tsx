import type { SideBySideRow } from '@/lib/guidelines/side-by-side';

export interface SideBySideLabels {
  left: string;
  right: string;
  removed: string;
  added: string;
  empty: string;
}

type CellKind = 'same' | 'removed' | 'added' | 'empty';

const BACKGROUND: Record<CellKind, string> = { same: '', removed: 'bg-red-50', added: 'bg-green-50', empty: 'bg-slate-100' };
const TEXT: Record<CellKind, string> = { same: 'text-slate-700', removed: 'text-red-900', added: 'text-green-900', empty: '' };

function Cell({ side, kind, line, labels }: { side: 'left' | 'right'; kind: CellKind; line: { no: number; text: string } | null; labels: SideBySideLabels }) {
  const edge = side === 'right' ? 'border-l border-slate-200' : '';
  return (
    <>
      <td className={`${edge} ${BACKGROUND[kind]} w-10 select-none px-2 text-right align-top text-slate-400`}>{line?.no ?? ''}</td>
      <td data-side={side} data-kind={kind} className={`${BACKGROUND[kind]} ${TEXT[kind]} whitespace-pre-wrap break-words px-2 align-top`}>
        {kind === 'removed' && <span className="sr-only">{labels.removed}: </span>}
        {kind === 'added' && <span className="sr-only">{labels.added}: </span>}
        {kind === 'empty' ? <span className="sr-only">{labels.empty}</span> : line?.text || '\u00a0'}
      </td>
    </>
  );
}

/** Two texts in two aligned columns: removed lines on the left, added lines on the right. */
export function SideBySide({ rows, labels, className = '' }: { rows: SideBySideRow[]; labels: SideBySideLabels; className?: string }) {
  return (
    <div className={`overflow-auto rounded-md border border-slate-200 bg-white ${className}`}>
      <table className="w-full table-fixed border-collapse font-mono text-xs leading-5" data-testid="side-by-side">
        <colgroup>
          <col className="w-10" />
          <col />
          <col className="w-10" />
          <col />
        </colgroup>
        <thead className="sticky top-0 bg-slate-50 font-sans text-slate-600">
          <tr>
            <th colSpan={2} scope="colgroup" className="px-2 py-1 text-left font-semibold" data-testid="side-left">
              {labels.left}
            </th>
            <th colSpan={2} scope="colgroup" className="border-l border-slate-200 px-2 py-1 text-left font-semibold" data-testid="side-right">
              {labels.right}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index} data-kind={row.kind}>
              <Cell side="left" kind={row.kind === 'same' ? 'same' : row.left ? 'removed' : 'empty'} line={row.left} labels={labels} />
              <Cell side="right" kind={row.kind === 'same' ? 'same' : row.right ? 'added' : 'empty'} line={row.right} labels={labels} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
