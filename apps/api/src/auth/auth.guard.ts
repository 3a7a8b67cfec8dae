import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type ApiKeyRole, hashApiKey } from '#lib/api-keys';
import { ApiError } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { type AuthenticatedRequest, bearerToken, IS_PUBLIC, ROLES } from './principal';

const unauthenticated = (code = 'unauthenticated', message = 'A valid API key is required: Authorization: Bearer <key>') =>
  new ApiError(HttpStatus.UNAUTHORIZED, code, message);

/** Partners that left the program keep reading what they had; they change nothing. */
const READ_ONLY_PARTNER_STATUSES = new Set(['withdrawn', 'lapsed']);
const READ_METHODS = new Set(['GET', 'HEAD']);

/** Every route needs a valid key unless it is marked @Public(). Keys are looked up by hash. */
@Injectable()
export class ApiKeyAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly prisma: PrismaService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    if (!token) throw unauthenticated();
    const key = await this.prisma.apiKey.findUnique({
      where: { hash: hashApiKey(token) },
      include: { partner: { select: { consolidatedIntoId: true, status: true } } },
    });
    if (!key) throw unauthenticated();
    if (key.revokedAt) throw unauthenticated('api_key_revoked', 'This API key was revoked');
    if (key.expiresAt && key.expiresAt <= new Date())
      throw unauthenticated('api_key_expired', 'This API key was rotated out and has expired');
    if (key.partner?.status === 'rejected')
      throw unauthenticated('partner_rejected', 'The enrollment was rejected; this key no longer works');
    if (key.partner?.consolidatedIntoId) {
      // The organization lives on in the partner that absorbed it; its own key no longer acts.
      throw new ApiError(
        HttpStatus.GONE,
        'partner_consolidated',
        `This partner was consolidated into partner ${key.partner.consolidatedIntoId}; use that partner's key`,
        undefined,
        { consolidatedIntoId: key.partner.consolidatedIntoId },
      );
    }
    if (key.partner && READ_ONLY_PARTNER_STATUSES.has(key.partner.status) && !READ_METHODS.has(request.method)) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'partner_read_only',
        `A ${key.partner.status} partner can read its records but change nothing`,
      );
    }
    request.principal = { keyId: key.id, role: key.role as ApiKeyRole, partnerId: key.partnerId };

    const roles = this.reflector.getAllAndOverride<ApiKeyRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(request.principal.role)) {
      throw new ApiError(HttpStatus.FORBIDDEN, 'forbidden', `This action needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
