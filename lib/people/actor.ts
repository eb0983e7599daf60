/** Who is making a change, for the audit log: the signed-in user's id and, when known, their address. */
export interface Actor {
  id: string;
  ip?: string | null;
}
