export type RoleName = 'ADMIN' | 'REVIEWER' | 'LABELER';
export const ROLE_CHOICES: readonly RoleName[] = ['LABELER', 'REVIEWER', 'ADMIN'];

/** One person as the People page shows them (dates as ISO strings, to cross to the browser). */
export interface PersonView {
  id: string;
  name: string;
  email: string;
  role: RoleName;
  active: boolean;
  createdAt: string;
  activeLeases: number;
}

/** A link the server just made; its path holds the token, shown this once. */
export interface IssuedLinkView {
  purpose: 'INVITE' | 'PASSWORD_RESET';
  email: string;
  expiresAt: string;
  path: string;
}
