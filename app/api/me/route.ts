import { NextResponse } from 'next/server';
import { withAccess } from '@/lib/auth/guard';

export const GET = withAccess(async (_request, user) => NextResponse.json({ user }));
