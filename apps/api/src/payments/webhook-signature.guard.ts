import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiConfig } from '#lib/config';
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS, verifyWebhookSignature } from '#lib/webhook-signature';
import { ApiError } from '../common/api-error';

/** The OpenAPI security scheme of the signed webhook. */
export const WEBHOOK_SIGNATURE_SCHEME = 'webhook-signature';

/**
 * Authenticates processor webhooks before anything reads the body: a missing, wrong or stale
 * signature answers 401 and nothing is recorded.
 */
@Injectable()
export class WebhookSignatureGuard implements CanActivate {
  constructor(private readonly config: ConfigService<ApiConfig, true>) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RawBodyRequest<Request>>();
    const valid = verifyWebhookSignature(
      this.config.get('paymentWebhookSecret', { infer: true }),
      request.header(SIGNATURE_HEADER) ?? '',
      request.rawBody ?? Buffer.alloc(0),
      new Date(),
    );
    if (!valid) {
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        'invalid_signature',
        `The ${SIGNATURE_HEADER} header does not sign this body, or is more than ${SIGNATURE_TOLERANCE_SECONDS} seconds old`,
      );
    }
    return true;
  }
}
