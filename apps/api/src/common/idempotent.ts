import { randomUUID } from 'node:crypto';
import {
  applyDecorators,
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import type { AuthenticatedRequest, Principal } from '../auth/principal';
import { ApiErrorBody, badRequest } from './api-error';
import { IDEMPOTENCY_KEY_LIFETIME_HOURS, IdempotencyService } from './idempotency.service';

const IDEMPOTENT = 'idempotency:options';
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

interface IdempotentOptions {
  /** Money moves only under a key: a retry without one could record it twice. */
  required?: boolean;
}

/**
 * What a handler names its effects by: the first request's id under a repeated Idempotency-Key,
 * a fresh one without a key. Reserved on first use, after the handler's own checks, so a refused
 * request leaves its key free for the corrected one.
 */
export interface IdempotentRequest {
  requestId(): Promise<string>;
}

type IdempotentHttpRequest = AuthenticatedRequest & { idempotency?: IdempotentRequest };

/** Keys are the caller's own: a partner's across its keys, a staff key's, or the public's. */
function callerScope(principal: Principal | undefined): string {
  if (principal?.partnerId) return `partner:${principal.partnerId}`;
  return principal ? `key:${principal.keyId}` : 'public';
}

/**
 * Marks a POST as idempotent under `Idempotency-Key`: the same key with the same request (path
 * and body) answers the first request's result, with another request 422, for 24 hours.
 */
export const Idempotent = (options: IdempotentOptions = {}) =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, options),
    ApiHeader({
      name: 'Idempotency-Key',
      required: options.required ?? false,
      schema: { type: 'string', pattern: KEY_PATTERN.source, minLength: 1, maxLength: 200 },
      description: `1 to 200 visible ASCII characters, the caller's own; the same key and request within ${IDEMPOTENCY_KEY_LIFETIME_HOURS} h answer the first result`,
    }),
    ApiUnprocessableEntityResponse({ type: ApiErrorBody, description: 'idempotency_key_reused: the key came with a different request' }),
  );

/** The handler's `IdempotentRequest`; only on routes marked @Idempotent(). */
export const Idempotency = createParamDecorator((_: unknown, context: ExecutionContext): IdempotentRequest => {
  const handle = context.switchToHttp().getRequest<IdempotentHttpRequest>().idempotency;
  if (!handle) throw new Error('@Idempotency() used on a route without @Idempotent()');
  return handle;
});

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly records: IdempotencyService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<IdempotentOptions | undefined>(IDEMPOTENT, context.getHandler());
    if (options) {
      const request = context.switchToHttp().getRequest<IdempotentHttpRequest>();
      request.idempotency = this.handleFor(request, options);
    }
    return next.handle();
  }

  private handleFor(request: IdempotentHttpRequest, options: IdempotentOptions): IdempotentRequest {
    const key = request.headers['idempotency-key'];
    if (key === undefined && options.required) {
      throw badRequest('The request is not valid', [{ field: 'Idempotency-Key', reason: 'is required on this route', code: 'required' }]);
    }
    if (key !== undefined && (typeof key !== 'string' || !KEY_PATTERN.test(key))) {
      throw badRequest('The request is not valid', [
        { field: 'Idempotency-Key', reason: 'must be 1 to 200 visible ASCII characters', code: 'invalid_idempotency_key' },
      ]);
    }
    let reserved: Promise<string> | undefined;
    return {
      requestId: () => {
        reserved ??=
          key === undefined
            ? Promise.resolve(randomUUID())
            : this.records.reserve(`${callerScope(request.principal)}|${request.method} ${request.route.path}`, key, {
                params: request.params,
                body: request.body,
              });
        return reserved;
      },
    };
  }
}
