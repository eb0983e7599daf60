import { NextResponse } from 'next/server';
import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { listUsers } from '@/lib/projects/overview';

export const GET = withAccess(async () => NextResponse.json({ users: await listUsers(getDb()) }));
