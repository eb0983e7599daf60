import { z } from 'zod';
import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { acknowledgeGuideline, guidelineGate } from '@/lib/guidelines/gate';
import { readJson, respond } from '@/lib/http/respond';
import { requireMemberProject } from '@/lib/projects/membership';

type Params = { slug: string };

/** The project's current guideline and whether this user has acknowledged it. */
export const GET = withAccess<Params>(async (_request, user, { params }) =>
  respond(async () => {
    const project = await requireMemberProject(getDb(), user.id, (await params).slug);
    return guidelineGate(getDb(), user.id, project.id);
  }),
);

const ackInput = z.object({ guidelineId: z.string().min(1) });

export const POST = withAccess<Params>(async (request, user, { params }) =>
  respond(async () => {
    const project = await requireMemberProject(getDb(), user.id, (await params).slug);
    const { guidelineId } = await readJson(request, ackInput);
    return acknowledgeGuideline(getDb(), user.id, project.id, guidelineId);
  }),
);
