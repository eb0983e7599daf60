import { withAccess } from '@/lib/auth/guard';
import { clientIp } from '@/lib/auth/request-ip';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { createUserInput } from '@/lib/people/schemas';
import { createUser, listPeople } from '@/lib/people/users';

/** Everyone, with their role, whether they are active and the leases they hold. */
export const GET = withAccess(async () => respond(async () => ({ people: await listPeople(getDb()) })));

/** Creates an account with an initial password. */
export const POST = withAccess(async (request, user) =>
  respond(async () => {
    const input = await readJson(request, createUserInput);
    return createUser(getDb(), { id: user.id, ip: clientIp(request.headers) }, input);
  }, 201),
);
