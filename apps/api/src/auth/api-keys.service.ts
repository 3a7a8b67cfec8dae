import { HttpStatus, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { recordAudit } from '#lib/audit';
import { apiKeyAuditEntry, hashApiKey, issueRandomApiKey } from '#lib/api-keys';
import type { ApiConfig } from '#lib/config';
import { HOUR_MS } from '#domain/time';
import { type ApiKeyScope, type ApiKeyView, findApiKey, listApiKeys, toApiKeyView } from '#queries/api-keys';
import { ApiError, notFound } from '../common/api-error';
import { pageRequest, pageResponse } from '../common/pagination';
import { PrismaService } from '../database/prisma.service';
import type { ApiKeyPageDto, CreateApiKeyDto, CreatedApiKeyDto, ListApiKeysQuery, RotatedApiKeyDto } from './api-keys.dto';
import { PartnerAccess } from './partner-access.service';
import type { Principal } from './principal';

const BOOTSTRAP_ADMIN_KEY_ID = 'bootstrap-admin';

/**
 * Keys are issued, listed, rotated and revoked here (the API's one write path outside the
 * workflows, as a key must be shown to the caller that asked for it); each change is audited.
 */
@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  constructor(
    private readonly prisma: PrismaService,
    private readonly access: PartnerAccess,
    private readonly config: ConfigService<ApiConfig, true>,
  ) {}

  /** The admin key from ADMIN_API_KEY is stored hashed like any other; rotating the env rotates it. */
  async onApplicationBootstrap(): Promise<void> {
    const hash = hashApiKey(this.config.get('adminApiKey', { infer: true }));
    await this.prisma.apiKey.upsert({
      where: { id: BOOTSTRAP_ADMIN_KEY_ID },
      create: { id: BOOTSTRAP_ADMIN_KEY_ID, name: 'Administrator (ADMIN_API_KEY)', role: 'admin', hash },
      update: { hash, revokedAt: null },
    });
  }

  async create(principal: Principal, request: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const issued = issueRandomApiKey();
    const at = new Date();
    const email = request.email ?? null;
    const reviewKinds = request.reviewKinds ?? [];
    await this.prisma.$transaction(async (tx) => {
      await tx.apiKey.create({
        data: { id: issued.id, name: request.name, email, reviewKinds, role: request.role, hash: issued.hash, createdAt: at },
      });
      await recordAudit(tx, at, [
        apiKeyAuditEntry(issued.id, 'issued', principal.keyId, { role: request.role, name: request.name, email, reviewKinds }),
      ]);
    });
    return { id: issued.id, role: request.role, name: request.name, email, reviewKinds, apiKey: issued.key };
  }

  /** Every key for an admin, a partner's own keys for its key, a reviewer's own key: all masked. */
  async list(principal: Principal, query: ListApiKeysQuery): Promise<ApiKeyPageDto> {
    const scope: ApiKeyScope =
      principal.role === 'admin' ? { all: true } : principal.partnerId ? { partnerId: principal.partnerId } : { keyId: principal.keyId };
    const filter = { ...(query.role ? { role: query.role } : {}), ...(query.partnerId ? { partnerId: query.partnerId } : {}) };
    return pageResponse(await listApiKeys(this.prisma, scope, filter, pageRequest(query), new Date()));
  }

  /** Revokes at once; revoking a revoked key answers it as it is. A partner revokes only its own keys. */
  async revoke(principal: Principal, id: string): Promise<ApiKeyView> {
    const key = await findApiKey(this.prisma, id, new Date());
    if (!key || (principal.role === 'partner' && key.partnerId !== principal.partnerId)) throw notFound('API key');
    if (id === BOOTSTRAP_ADMIN_KEY_ID) {
      throw new ApiError(HttpStatus.CONFLICT, 'bootstrap_key', 'The ADMIN_API_KEY key is rotated by changing ADMIN_API_KEY and restarting');
    }
    const at = new Date();
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
      if (count > 0) await recordAudit(tx, at, [apiKeyAuditEntry(id, 'revoked', principal.keyId, { partnerId: key.partnerId })]);
    });
    return (await findApiKey(this.prisma, id, at))!;
  }

  /**
   * A new key for the partner; its other keys keep working for the grace period (none shortened),
   * so its systems can switch over, and stop then.
   */
  async rotate(principal: Principal, partnerId: string): Promise<RotatedApiKeyDto> {
    await this.access.requireOpenPartner(principal, partnerId, 'rotate its API keys');
    const issued = issueRandomApiKey();
    const at = new Date();
    const graceEnds = new Date(at.getTime() + this.config.get('apiKeyRotationGraceHours', { infer: true }) * HOUR_MS);
    const previousKeys = await this.prisma.$transaction(async (tx) => {
      const working = { partnerId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] };
      await tx.apiKey.updateMany({
        where: { ...working, OR: [{ expiresAt: null }, { expiresAt: { gt: graceEnds } }] },
        data: { expiresAt: graceEnds },
      });
      const previous = await tx.apiKey.findMany({ where: working, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      await tx.apiKey.create({
        data: {
          id: issued.id,
          name: `Partner key (rotation of ${at.toISOString()})`,
          role: 'partner',
          partnerId,
          hash: issued.hash,
          createdAt: at,
        },
      });
      await recordAudit(tx, at, [
        apiKeyAuditEntry(issued.id, 'rotated', principal.keyId, {
          partnerId,
          replaces: previous.map((key) => key.id).join(','),
          previousKeysExpireAt: graceEnds.toISOString(),
        }),
      ]);
      return previous;
    });
    return { id: issued.id, partnerId, apiKey: issued.key, previousKeys: previousKeys.map((key) => toApiKeyView(key, at)) };
  }
}
