import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { createProject, createProjectInput } from '@/lib/projects/admin';

export const POST = withAccess(async (request, user) =>
  respond(async () => createProject(getDb(), user.id, await readJson(request, createProjectInput)), 201),
);
