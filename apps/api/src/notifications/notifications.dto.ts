import { ApiProperty } from '@nestjs/swagger';
import type { NotificationView } from '#queries/notifications';
import { PageOf } from '../common/pagination';

export class NotificationDto implements NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'support-incident-resolved' }) kind: string;
  @ApiProperty({ description: 'The address it went to: the partner contact at the time' }) recipient: string;
  @ApiProperty() subject: string;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ enum: ['sent', 'pending'], description: 'sent once the mail relay accepted it; pending while the worker retries' })
  state: 'sent' | 'pending';
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) sentAt: string | null;
}

export class NotificationPageDto extends PageOf(NotificationDto) {}
