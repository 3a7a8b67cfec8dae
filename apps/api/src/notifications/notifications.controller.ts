import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NotificationPreferencesView, NotificationView } from '#queries/notifications';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiKeyRoutes, ApiPageErrors } from '../common/api-responses';
import { type Page, PageQuery } from '../common/pagination';
import { UuidParam } from '../common/params';
import { NotificationPageDto, NotificationPreferencesDto, UpdateNotificationPreferencesDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiKeyRoutes()
@Controller('v1/partners/:id')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('notifications')
  @ApiOperation({ summary: 'Every notice sent to the partner, newest first, with its kind, subject and delivery state' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiPageErrors()
  list(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Query() query: PageQuery): Promise<Page<NotificationView>> {
    return this.notifications.list(principal, id, query);
  }

  @Get('notification-preferences')
  @ApiOperation({ summary: 'The notice kinds the partner muted, and every kind a partner receives with whether it may be muted' })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  preferences(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<NotificationPreferencesView> {
    return this.notifications.preferences(principal, id);
  }

  @Patch('notification-preferences')
  @Roles('partner', 'admin')
  @ApiOperation({ summary: 'Replace the muted notice kinds; decisions and money events cannot be muted (audited like a profile change)' })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  mute(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Body() body: UpdateNotificationPreferencesDto,
  ): Promise<NotificationPreferencesView> {
    return this.notifications.mute(principal, id, body.muted);
  }
}
