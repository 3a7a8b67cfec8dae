import type { ProfileChange } from '../../domain/profiles';

export const profileChangeWorkflowId = (partnerId: string, requestId: string): string => `profile-${partnerId}-${requestId}`;

export interface ProfileChangeInput {
  requestId: string;
  partnerId: string;
  change: ProfileChange;
  actor: string;
}
