import { Module } from '@nestjs/common';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';
import { WebhookSignatureGuard } from './webhook-signature.guard';

@Module({ controllers: [PaymentsController], providers: [PaymentsService, WebhookSignatureGuard] })
export class PaymentsModule {}
