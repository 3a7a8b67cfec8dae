import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NotificationView } from '#queries/notifications';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ApiKeyRoutes, ApiPageErrors } from '../common/api-responses';
import { type Page, PageQuery } from '../common/pagination';
import { UuidParam } from '../common/params';
import { NotificationPageDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiKeyRoutes()
@Controller('v1/partners/:id/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'Every notice sent to the partner, newest first, with its kind, subject and delivery state' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiPageErrors()
  list(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Query() query: PageQuery): Promise<Page<NotificationView>> {
    return this.notifications.list(principal, id, query);
  }
}
