import { Module } from '@nestjs/common';
import { PaymentsController, PaymentWebhookController } from './payments.controller';
import { PaymentsService } from './payments.service';
import { WebhookSignatureGuard } from './webhook-signature.guard';

@Module({ controllers: [PaymentsController, PaymentWebhookController], providers: [PaymentsService, WebhookSignatureGuard] })
export class PaymentsModule {}
