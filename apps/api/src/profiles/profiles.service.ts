import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { findProfile, type ProfileView } from '#queries/profiles';
import { profileChangeWorkflowId } from '#workflows/profiles/definitions';
import type { profileChangeWorkflow } from '#workflows/profiles/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { TemporalService } from '../temporal/temporal.module';
import type { UpdateProfileDto } from './profiles.dto';

/** A partner's profile. Reads come from Postgres; a change runs through its profile-change workflow. */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
  ) {}

  get(principal: Principal, partnerId: string): Promise<ProfileView> {
    return this.access.requirePartner(principal, partnerId, findProfile);
  }

  async update(principal: Principal, partnerId: string, body: UpdateProfileDto): Promise<ProfileView> {
    await this.access.requirePartner(principal, partnerId);
    const requestId = randomUUID();
    const { contact, ...fields } = body;
    return this.temporal.execute<typeof profileChangeWorkflow>('profileChangeWorkflow', profileChangeWorkflowId(partnerId, requestId), [
      { requestId, partnerId, change: { ...fields, ...(contact ? { contact: { ...contact } } : {}) }, actor: principal.keyId },
    ]);
  }
}
