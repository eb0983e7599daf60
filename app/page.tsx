import { redirect } from 'next/navigation';
import { getCurrentUser } from '@/lib/auth/guard';
import { homePath } from '@/lib/auth/roles';

export default async function Home() {
  const user = await getCurrentUser();
  redirect(user ? homePath(user.role) : '/login');
}
