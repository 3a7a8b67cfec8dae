import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type ApiKeyRole, hashApiKey } from '#lib/api-keys';
import { ApiError } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { type AuthenticatedRequest, IS_PUBLIC, ROLES } from './principal';

const unauthenticated = () =>
  new ApiError(HttpStatus.UNAUTHORIZED, 'unauthenticated', 'A valid API key is required: Authorization: Bearer <key>');

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
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw unauthenticated();
    const key = await this.prisma.apiKey.findUnique({
      where: { hash: hashApiKey(match[1]) },
      include: { partner: { select: { consolidatedIntoId: true } } },
    });
    if (!key || key.revokedAt) throw unauthenticated();
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
    request.principal = { keyId: key.id, role: key.role as ApiKeyRole, partnerId: key.partnerId };

    const roles = this.reflector.getAllAndOverride<ApiKeyRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(request.principal.role)) {
      throw new ApiError(HttpStatus.FORBIDDEN, 'forbidden', `This action needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
