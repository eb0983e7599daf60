import type { ReactNode } from 'react';
import { secondaryButtonClass } from '@/components/admin/exports/fields';

/** A list of past runs (exports, training…): heading, a refresh button, and the table or a line saying there are none. */
export function RunsSection(props: {
  testId: string;
  title: string;
  refreshLabel: string;
  emptyText: string;
  isEmpty: boolean;
  onRefresh: () => void;
  refreshing: boolean;
  children: ReactNode;
}) {
  return (
    <section className="space-y-2" data-testid={props.testId}>
      <div className="flex items-center justify-between">
        <h2 className="text-lg font-semibold">{props.title}</h2>
        <button type="button" onClick={props.onRefresh} disabled={props.refreshing} className={secondaryButtonClass}>
          {props.refreshLabel}
        </button>
      </div>
      {props.isEmpty ? (
        <p className="text-sm text-slate-600">{props.emptyText}</p>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">{props.children}</div>
      )}
    </section>
  );
}
