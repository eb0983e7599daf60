import { withAccess } from '@/lib/auth/guard';
import { clientIp } from '@/lib/auth/request-ip';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { changeRoleInput } from '@/lib/people/schemas';
import { changeRole } from '@/lib/people/users';

export const PUT = withAccess<{ id: string }>(async (request, user, { params }) =>
  respond(async () => {
    const { role } = await readJson(request, changeRoleInput);
    return changeRole(getDb(), { id: user.id, ip: clientIp(request.headers) }, (await params).id, role);
  }),
);
