import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  findNotificationPreferences,
  listPartnerNotifications,
  type NotificationPreferencesView,
  type NotificationView,
} from '#queries/notifications';
import { profileChangeWorkflowId } from '#workflows/profiles/definitions';
import type { profileChangeWorkflow } from '#workflows/profiles/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { type Page, type PageQuery, pageRequest, pageResponse } from '../common/pagination';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';

/** The partner's notices, as the worker recorded them, and which of them it chose not to receive. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly access: PartnerAccess,
    private readonly temporal: TemporalService,
  ) {}

  async list(principal: Principal, partnerId: string, query: PageQuery): Promise<Page<NotificationView>> {
    await this.access.requirePartner(principal, partnerId);
    return pageResponse(await listPartnerNotifications(this.prisma, partnerId, pageRequest(query)));
  }

  preferences(principal: Principal, partnerId: string): Promise<NotificationPreferencesView> {
    return this.access.requirePartner(principal, partnerId, findNotificationPreferences);
  }

  /** A change of the partner's record like any profile change: its workflow writes it, with an audit event. */
  async mute(principal: Principal, partnerId: string, muted: string[]): Promise<NotificationPreferencesView> {
    await this.access.requirePartner(principal, partnerId);
    const requestId = randomUUID();
    await this.temporal.execute<typeof profileChangeWorkflow>('profileChangeWorkflow', profileChangeWorkflowId(partnerId, requestId), [
      { requestId, partnerId, change: { mutedNotices: [...muted].sort() }, actor: principal.keyId },
    ]);
    return this.preferences(principal, partnerId);
  }
}
