'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { WeekFigure } from '@/lib/metrics/project-agreement';

const three = (value: unknown) => (typeof value === 'number' ? value.toFixed(3) : '—');

/** Tau-b and pairwise agreement per ISO week (gaps where a week has no defined figure). */
export function AgreementChart({ data, labels }: { data: WeekFigure[]; labels: { tau: string; pairwise: string } }) {
  return (
    <div data-testid="agreement-chart">
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="week" fontSize={11} />
          <YAxis domain={[-1, 1]} ticks={[-1, -0.5, 0, 0.5, 1]} fontSize={11} />
          <Tooltip formatter={three} />
          <Legend />
          <Line type="monotone" dataKey="tau" name={labels.tau} stroke="#2563eb" strokeWidth={2} dot isAnimationActive={false} />
          <Line type="monotone" dataKey="pairwise" name={labels.pairwise} stroke="#f59e0b" strokeWidth={2} dot isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
