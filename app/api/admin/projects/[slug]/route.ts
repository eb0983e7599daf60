import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { requireProject, updateProject, updateProjectInput } from '@/lib/projects/admin';

type Params = { slug: string };

export const GET = withAccess<Params>(async (_request, _user, { params }) => respond(async () => requireProject(getDb(), (await params).slug)));

export const PATCH = withAccess<Params>(async (request, user, { params }) =>
  respond(async () => updateProject(getDb(), user.id, (await params).slug, await readJson(request, updateProjectInput))),
);
