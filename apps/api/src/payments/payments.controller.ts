import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { InvoiceView, PaymentView } from '#queries/payments';
import { CurrentPrincipal, type Principal, Public, Roles } from '../auth/principal';
import { ApiErrorBody } from '../common/api-error';
import { Idempotency, Idempotent, type IdempotentRequest } from '../common/idempotent';
import { type Page, PageQuery } from '../common/pagination';
import { uuidParam } from '../common/params';
import { NoRateLimit } from '../rate-limits/rate-limit.guard';
import { BenefitPurchaseAcceptedDto, ProcessorEventDto, RecordBankTransferDto, WebhookReceiptDto } from './payments.dto';
import { PaymentsService } from './payments.service';
import { SIGNATURE_HEADER, WebhookSignatureGuard } from './webhook-signature.guard';

@ApiTags('payments')
@ApiBearerAuth()
@Controller('v1')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get('partners/:id/invoices')
  @ApiOperation({ summary: "The partner's invoices with their payments, newest first, keyset-paginated" })
  listInvoices(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam()) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<InvoiceView>> {
    return this.payments.listInvoices(principal, id, query);
  }

  @Get('invoices/:invoiceId')
  @ApiOperation({ summary: 'An invoice, its lines and its payments' })
  getInvoice(
    @CurrentPrincipal() principal: Principal,
    @Param('invoiceId', uuidParam('invoiceId')) invoiceId: string,
  ): Promise<InvoiceView> {
    return this.payments.getInvoice(principal, invoiceId);
  }

  @Post('invoices/:invoiceId/payments')
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Record a bank transfer (admin); a payment that does not match the invoice is held for review' })
  @Idempotent({ required: true })
  @ApiCreatedResponse({ description: 'The payment as recorded: applied, held or refunded' })
  recordBankTransfer(
    @CurrentPrincipal() principal: Principal,
    @Param('invoiceId', uuidParam('invoiceId')) invoiceId: string,
    @Body() body: RecordBankTransferDto,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<PaymentView> {
    return this.payments.recordBankTransfer(principal, invoiceId, body, idempotency);
  }

  @Post('partners/:id/benefits/:code/purchases')
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Buy an optional benefit for a year; it is invoiced and on record once paid' })
  @Idempotent()
  @ApiAcceptedResponse({ type: BenefitPurchaseAcceptedDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorBody, description: 'benefit_not_offered' })
  purchaseBenefit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam()) id: string,
    @Param('code') code: string,
    @Idempotency() idempotency: IdempotentRequest,
  ): Promise<BenefitPurchaseAcceptedDto> {
    return this.payments.purchaseBenefit(principal, id, code, idempotency);
  }

  @Post('payments/webhook')
  @Public()
  @NoRateLimit()
  @UseGuards(WebhookSignatureGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: `Payment processor events, signed with HMAC-SHA256 of the raw body in ${SIGNATURE_HEADER}` })
  @ApiHeader({ name: SIGNATURE_HEADER, required: true, description: 'sha256=<hex>' })
  @ApiOkResponse({ type: WebhookReceiptDto })
  @ApiUnauthorizedResponse({ type: ApiErrorBody, description: 'invalid_signature' })
  receive(@Body() event: ProcessorEventDto): Promise<WebhookReceiptDto> {
    return this.payments.receiveProcessorEvent(event);
  }
}
