import { getTranslations } from 'next-intl/server';
import { AdminNav } from '@/components/admin/AdminNav';
import { TrainingManager } from '@/components/admin/training/TrainingManager';
import { SCHEDULE_FIELDS, SHAPE_FIELDS, type FormField } from '@/components/admin/training/types';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { trainConfigSchema } from '@/lib/training/config';
import { listTrainingRuns, trainingChoices } from '@/lib/training/runs';

export default async function TrainingPage() {
  const user = await requirePageAccess('/admin/training');
  const t = await getTranslations('training');
  const db = getDb();
  const [choices, runs] = await Promise.all([trainingChoices(db), listTrainingRuns(db)]);
  const all = trainConfigSchema.parse({});
  const defaults = Object.fromEntries([...SHAPE_FIELDS, ...SCHEDULE_FIELDS].map((field) => [field, all[field]])) as Record<FormField, number>;
  return (
    <AppShell user={user}>
      <AdminNav current="training" />
      <h1 className="text-2xl font-bold" data-testid="page-title">
        {t('title')}
      </h1>
      <p className="mt-1 mb-6 max-w-3xl text-slate-600">{t('intro')}</p>
      <TrainingManager exports={choices.exports} baseRuns={choices.baseRuns} defaults={defaults} runs={runs} />
    </AppShell>
  );
}
