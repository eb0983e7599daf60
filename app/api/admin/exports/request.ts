import { z } from 'zod';
import { exportOptions } from '@/lib/export/options';

/** The body of a preview or an export from the admin page: which project, and every option. */
export const exportRequest = z.object({
  project: z.string().trim().min(1, 'choose a project'),
  options: exportOptions,
});
