import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { MUTABLE_NOTICE_KINDS, NOTICE_KINDS } from '#domain/notices';
import type { NotificationPreferencesView, NotificationView } from '#queries/notifications';
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

export class NoticeKindDto {
  @ApiProperty({ enum: Object.keys(NOTICE_KINDS), example: 'upgrade-available' }) kind: string;
  @ApiProperty({ description: 'Whether the partner may mute it; decisions and money events it may not' }) mutable: boolean;
  @ApiProperty({ example: 'the partner now meets a higher level' }) when: string;
}

export class NotificationPreferencesDto implements NotificationPreferencesView {
  @ApiProperty({
    type: [String],
    items: { type: 'string', enum: [...MUTABLE_NOTICE_KINDS] },
    description: 'The kinds the partner does not receive',
  })
  muted: string[];
  @ApiProperty({ type: [NoticeKindDto], description: 'Every kind of notice a partner receives' })
  kinds: NoticeKindDto[];
}

export class UpdateNotificationPreferencesDto {
  @ApiProperty({
    type: [String],
    items: { type: 'string', enum: [...MUTABLE_NOTICE_KINDS] },
    maxItems: MUTABLE_NOTICE_KINDS.length,
    uniqueItems: true,
    description: 'The kinds to mute, replacing the list; only informational kinds can be muted, never decisions or money events',
    example: ['upgrade-available'],
  })
  @IsArray()
  @ArrayMaxSize(MUTABLE_NOTICE_KINDS.length)
  @ArrayUnique()
  @IsIn(MUTABLE_NOTICE_KINDS, {
    each: true,
    message: `each value must be a notice kind a partner may mute: ${MUTABLE_NOTICE_KINDS.join(', ')}`,
  })
  muted: string[];
}
