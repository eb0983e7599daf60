import { NextResponse } from 'next/server';
import { getDb } from '@/lib/db';
import { checkDatabase } from '@/lib/health';

export const dynamic = 'force-dynamic';

export async function GET() {
  const up = await checkDatabase(getDb());
  return NextResponse.json({ ok: up, db: up ? 'up' : 'down' }, { status: up ? 200 : 503 });
}
