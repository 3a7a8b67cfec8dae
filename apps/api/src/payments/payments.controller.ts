import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { InvoiceView, PaymentView } from '#queries/payments';
import { CurrentPrincipal, type Principal, Public, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiPageErrors, ApiErrors, ApiKeyRoutes } from '../common/api-responses';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { type Page, PageQuery } from '../common/pagination';
import { UuidParam } from '../common/params';
import { NoRateLimit } from '../rate-limits/rate-limit.guard';
import { ProcessorEventDto, RecordBankTransferDto, WebhookReceiptDto } from './payments.dto';
import { PaymentsService } from './payments.service';
import { WEBHOOK_SIGNATURE_SCHEME, WebhookSignatureGuard } from './webhook-signature.guard';

@ApiTags('payments')
@ApiKeyRoutes()
@Controller('v1')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get('partners/:id/invoices')
  @ApiPageErrors()
  @ApiOperation({ summary: "The partner's invoices with their payments, newest first, keyset-paginated" })
  @ApiOkResponse({ description: 'A page of invoices: { items, nextCursor }' })
  listInvoices(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Query() query: PageQuery): Promise<Page<InvoiceView>> {
    return this.payments.listInvoices(principal, id, query);
  }

  @Get('invoices/:invoiceId')
  @ApiOperation({ summary: 'An invoice, its lines and its payments' })
  @ApiOkResponse({ description: 'The invoice' })
  getInvoice(@CurrentPrincipal() principal: Principal, @UuidParam('invoiceId') invoiceId: string): Promise<InvoiceView> {
    return this.payments.getInvoice(principal, invoiceId);
  }

  @Post('invoices/:invoiceId/payments')
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Record a bank transfer (admin); a payment that does not match the invoice is held for review' })
  @Idempotent({ required: true })
  @ApiCreatedResponse({ description: 'The payment as recorded: applied, held or refunded' })
  @ApiErrorResponse(503, 'payment_not_recorded: repeat the request')
  recordBankTransfer(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('invoiceId') invoiceId: string,
    @Body() body: RecordBankTransferDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<PaymentView> {
    return this.payments.recordBankTransfer(principal, invoiceId, body, idempotency);
  }
}

/** The payment processor's events: authenticated by their signature, not by an API key. */
@ApiTags('payments')
@Controller('v1/payments')
export class PaymentWebhookController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('webhook')
  @Public()
  @NoRateLimit()
  @UseGuards(WebhookSignatureGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Payment processor events, signed with HMAC-SHA256 of the raw body' })
  @ApiSecurity(WEBHOOK_SIGNATURE_SCHEME)
  @ApiExtraModels(ProcessorEventDto)
  @ApiBody({
    schema: {
      oneOf: [
        { allOf: [{ $ref: getSchemaPath(ProcessorEventDto) }, { properties: { type: { enum: ['payment.succeeded'] } } }] },
        {
          allOf: [
            { $ref: getSchemaPath(ProcessorEventDto) },
            { properties: { type: { enum: ['payment.refunded'] }, data: { required: ['refundId'] } } },
          ],
        },
      ],
    },
  })
  @ApiOkResponse({ type: WebhookReceiptDto })
  @ApiErrors([400, 503])
  @ApiErrorResponse(401, 'invalid_signature: the signature header does not sign this body')
  receive(@Body() event: ProcessorEventDto): Promise<WebhookReceiptDto> {
    return this.payments.receiveProcessorEvent(event);
  }
}
