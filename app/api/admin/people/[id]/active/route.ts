import { withAccess } from '@/lib/auth/guard';
import { clientIp } from '@/lib/auth/request-ip';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { setActiveInput } from '@/lib/people/schemas';
import { setActive } from '@/lib/people/users';

/** `{active: false}` deactivates (and releases the person's leases); `{active: true}` reactivates. */
export const PUT = withAccess<{ id: string }>(async (request, user, { params }) =>
  respond(async () => {
    const { active } = await readJson(request, setActiveInput);
    return setActive(getDb(), { id: user.id, ip: clientIp(request.headers) }, (await params).id, active);
  }),
);
