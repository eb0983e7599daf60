import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '../db.ts';
import { authenticate } from './credentials.ts';
import { clientIp } from './request-ip.ts';
import type { Role } from './roles.ts';

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export const authOptions: NextAuthOptions = {
  secret: process.env.AUTH_SECRET,
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: '/login', error: '/login' },
  providers: [
    CredentialsProvider({
      name: 'Email',
      credentials: { email: { type: 'email' }, password: { type: 'password' } },
      async authorize(credentials, req) {
        const result = await authenticate(getDb(), credentials, clientIp(req.headers ?? {}));
        // next-auth v4 passes a thrown message to the sign-in page as ?error=<code>.
        if (!result.ok) throw new Error(result.error);
        return result.user;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        const signedIn = user as unknown as { id: string; role: Role };
        token.uid = signedIn.id;
        token.role = signedIn.role;
        token.signedInAt = Date.now();
      }
      return token;
    },
    session({ session, token }) {
      if (session.user) {
        session.user.id = token.uid;
        session.user.role = token.role;
        session.user.signedInAt = token.signedInAt ?? 0;
      }
      return session;
    },
  },
};
