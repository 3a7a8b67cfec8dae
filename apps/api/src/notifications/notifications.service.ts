import { Injectable } from '@nestjs/common';
import { listPartnerNotifications, type NotificationView } from '#queries/notifications';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { type Page, type PageQuery, pageRequest, pageResponse } from '../common/pagination';
import { PrismaService } from '../database/prisma.service';

/** The partner's notices, as the worker recorded them. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly access: PartnerAccess,
  ) {}

  async list(principal: Principal, partnerId: string, query: PageQuery): Promise<Page<NotificationView>> {
    await this.access.requirePartner(principal, partnerId);
    return pageResponse(await listPartnerNotifications(this.prisma, partnerId, pageRequest(query)));
  }
}
