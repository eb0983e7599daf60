import type { Role } from '../lib/auth/roles.ts';

declare module 'next-auth' {
  interface Session {
    user: { id: string; role: Role; signedInAt: number; name?: string | null; email?: string | null };
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    uid: string;
    role: Role;
    signedInAt?: number;
  }
}
