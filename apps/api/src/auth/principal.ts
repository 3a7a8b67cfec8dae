import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiKeyRole } from '#lib/api-keys';
import { notFound } from '../common/api-error';
import { ApiErrors } from '../common/api-responses';

export interface Principal {
  keyId: string;
  role: ApiKeyRole;
  /** Set for partner keys: the one organization the key may touch. */
  partnerId: string | null;
}

export type AuthenticatedRequest = Request & { principal?: Principal };

export const IS_PUBLIC = 'auth:public';
export const ROLES = 'auth:roles';

/** No key needed: health, docs, public enrollment, the customer's survey answer and the signed payment webhook. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only keys of these roles may call the route; others get 403, which the route's documentation then declares. */
export const Roles = (...roles: ApiKeyRole[]) => applyDecorators(SetMetadata(ROLES, roles), ApiErrors([403]));

/** The key presented as `Authorization: Bearer <key>`, if any. */
export function bearerToken(request: Pick<Request, 'headers'>): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});

/** A partner key on another partner's resource sees 404, so nothing about it leaks; see also PartnerAccess. */
export function assertPartnerAccess(principal: Principal, partnerId: string, what: string): void {
  if (principal.role === 'partner' && principal.partnerId !== partnerId) throw notFound(what);
}
