import type { DatabaseReader } from '../lib/database';

/** A survey invitation as the customer's answer finds it: by the hash of its single-use token. */
export async function findInvitationByTokenHash(
  db: DatabaseReader,
  tokenHash: string,
): Promise<{ workflowId: string; status: string } | null> {
  return db.surveyInvitation.findUnique({ where: { tokenHash }, select: { workflowId: true, status: true } });
}
