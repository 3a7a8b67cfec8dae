import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { hashApiKey, issueRandomApiKey } from '#lib/api-keys';
import type { ApiConfig } from '#lib/config';
import { PrismaService } from '../database/prisma.service';
import type { CreateApiKeyDto, CreatedApiKeyDto } from './api-keys.dto';

const BOOTSTRAP_ADMIN_KEY_ID = 'bootstrap-admin';

@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  constructor(
    private readonly prisma: PrismaService,
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

  async create(request: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const issued = issueRandomApiKey();
    await this.prisma.apiKey.create({ data: { id: issued.id, name: request.name, role: request.role, hash: issued.hash } });
    return { id: issued.id, role: request.role, name: request.name, apiKey: issued.key };
  }
}
