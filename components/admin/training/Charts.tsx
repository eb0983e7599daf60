'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EvalPoint, MetricPoint, ProgressPoint, TrainingMethod } from './types';

const margin = { top: 8, right: 8, left: 0, bottom: 0 };
const round = (value: unknown): string => (typeof value === 'number' ? String(Number(value.toPrecision(4))) : String(value));

/** The training loss at every kept progress point. */
export function TrainLossChart({ metrics, labels }: { metrics: MetricPoint[]; labels: { loss: string; step: string } }) {
  const data = metrics.filter((m): m is ProgressPoint => m.type === 'progress' && m.loss !== null).map((m) => ({ step: m.step, loss: m.loss }));
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={data} margin={margin}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} fontSize={11} name={labels.step} />
        <YAxis fontSize={11} domain={['auto', 'auto']} tickFormatter={round} />
        <Tooltip formatter={round} labelFormatter={(step) => `${labels.step} ${step}`} />
        <Line type="monotone" dataKey="loss" name={labels.loss} stroke="#2563eb" strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

// The baseline is drawn even when every point of the curve is far from it (extendDomain).

/**
 * Held-out figures at every evaluation: the loss for SFT (beside the unigram baseline), the
 * pairwise accuracy and mean margin for reward models and DPO (accuracy beside bag-of-words).
 */
export function HeldOutChart({
  method,
  metrics,
  baseline,
  labels,
}: {
  method: TrainingMethod;
  metrics: MetricPoint[];
  baseline: number | null;
  labels: { loss: string; accuracy: string; meanMargin: string; baseline: string; step: string };
}) {
  const evals = metrics.filter((m): m is EvalPoint => m.type === 'eval');
  if (method === 'sft') {
    const data = evals.map((e) => ({ step: e.step, loss: e.loss }));
    return (
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={margin}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} fontSize={11} />
          <YAxis fontSize={11} domain={['auto', 'auto']} tickFormatter={round} />
          <Tooltip formatter={round} labelFormatter={(step) => `${labels.step} ${step}`} />
          <Legend />
          <Line type="monotone" dataKey="loss" name={labels.loss} stroke="#7c3aed" strokeWidth={2} isAnimationActive={false} />
          {baseline !== null && <ReferenceLine ifOverflow="extendDomain" y={baseline} stroke="#94a3b8" strokeDasharray="6 4" label={{ value: labels.baseline, fontSize: 11, position: 'insideTopRight' }} />}
        </LineChart>
      </ResponsiveContainer>
    );
  }
  const data = evals.map((e) => ({ step: e.step, accuracy: e.accuracy, meanMargin: e.meanMargin }));
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={data} margin={margin}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} fontSize={11} />
        <YAxis yAxisId="accuracy" domain={[0, 1]} fontSize={11} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
        <YAxis yAxisId="margin" orientation="right" fontSize={11} domain={['auto', 'auto']} tickFormatter={round} />
        <Tooltip formatter={round} labelFormatter={(step) => `${labels.step} ${step}`} />
        <Legend />
        <Line yAxisId="accuracy" type="monotone" dataKey="accuracy" name={labels.accuracy} stroke="#059669" strokeWidth={2} isAnimationActive={false} />
        <Line yAxisId="margin" type="monotone" dataKey="meanMargin" name={labels.meanMargin} stroke="#f59e0b" strokeWidth={2} isAnimationActive={false} />
        {baseline !== null && (
          <ReferenceLine ifOverflow="extendDomain" yAxisId="accuracy" y={baseline} stroke="#94a3b8" strokeDasharray="6 4" label={{ value: labels.baseline, fontSize: 11, position: 'insideTopRight' }} />
        )}
      </LineChart>
    </ResponsiveContainer>
  );
}
