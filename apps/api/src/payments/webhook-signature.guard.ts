import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ApiConfig } from '#lib/config';
import { ApiError } from '../common/api-error';

export const SIGNATURE_HEADER = 'x-signature';
/** The OpenAPI security scheme of the signed webhook. */
export const WEBHOOK_SIGNATURE_SCHEME = 'webhook-signature';

/** `sha256=<hex HMAC-SHA256 of the raw body>` under the shared secret, as the processor signs it. */
export function signWebhookBody(secret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Authenticates processor webhooks before anything reads the body: a missing or wrong signature
 * answers 401 and nothing is recorded.
 */
@Injectable()
export class WebhookSignatureGuard implements CanActivate {
  constructor(private readonly config: ConfigService<ApiConfig, true>) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RawBodyRequest<Request>>();
    const given = request.header(SIGNATURE_HEADER) ?? '';
    const expected = signWebhookBody(this.config.get('paymentWebhookSecret', { infer: true }), request.rawBody ?? Buffer.alloc(0));
    // Compared as bytes: a header with non-ASCII characters may match in length but not in bytes.
    const givenBytes = Buffer.from(given, 'utf8');
    const expectedBytes = Buffer.from(expected, 'utf8');
    const valid = givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes);
    if (!valid) throw new ApiError(HttpStatus.UNAUTHORIZED, 'invalid_signature', `The ${SIGNATURE_HEADER} header does not sign this body`);
    return true;
  }
}
