'use client';

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DayCount } from '@/lib/dashboard/stats';

const short = (day: string) => day.slice(5);

export function SubmissionsChart({ data, labels }: { data: DayCount[]; labels: { demonstrations: string; rankings: string } }) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={data} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="day" tickFormatter={short} fontSize={11} />
        <YAxis allowDecimals={false} fontSize={11} />
        <Tooltip />
        <Legend />
        <Bar dataKey="demonstrations" name={labels.demonstrations} stackId="a" fill="#2563eb" isAnimationActive={false} />
        <Bar dataKey="rankings" name={labels.rankings} stackId="a" fill="#f59e0b" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function BurnDownChart({ data, label }: { data: { day: string; remaining: number }[]; label: string }) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={data} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="day" tickFormatter={short} fontSize={11} />
        <YAxis allowDecimals={false} fontSize={11} />
        <Tooltip />
        <Line type="monotone" dataKey="remaining" name={label} stroke="#dc2626" strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

export function CountsChart({ data, label }: { data: { name: string; count: number }[]; label: string }) {
  return (
    <ResponsiveContainer width="100%" height={200}>
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 8, left: 8, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis type="number" allowDecimals={false} fontSize={11} />
        <YAxis type="category" dataKey="name" width={150} fontSize={11} />
        <Tooltip />
        <Bar dataKey="count" name={label} fill="#7c3aed" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
