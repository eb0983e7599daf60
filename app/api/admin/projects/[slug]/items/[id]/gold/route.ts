import { withAccess } from '@/lib/auth/guard';
import { clientIp } from '@/lib/auth/request-ip';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { clearGold, setGold } from '@/lib/projects/gold';
import { goldInput } from '@/lib/projects/gold-tiers';

type Params = { slug: string; id: string };

/** Marks the item gold with a reference ranking: `{"tiers": [["<best>"], ["<next>", "<tied>"], …]}`. */
export const PUT = withAccess<Params>(async (request, user, { params }) =>
  respond(async () => {
    const { slug, id } = await params;
    const input = await readJson(request, goldInput);
    return setGold(getDb(), { id: user.id, ip: clientIp(request.headers) }, slug, id, input);
  }),
);

/** Un-marks the item: it stops counting for gold accuracy. */
export const DELETE = withAccess<Params>(async (request, user, { params }) =>
  respond(async () => {
    const { slug, id } = await params;
    return clearGold(getDb(), { id: user.id, ip: clientIp(request.headers) }, slug, id);
  }),
);
