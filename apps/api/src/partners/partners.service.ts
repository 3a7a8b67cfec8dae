import { Injectable } from '@nestjs/common';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import type { PartnerDto } from './partners.dto';

@Injectable()
export class PartnersService {
  constructor(private readonly prisma: PrismaService) {}

  async get(principal: Principal, partnerId: string): Promise<PartnerDto> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const partner = await this.prisma.partner.findUnique({
      where: { id: partnerId },
      include: { locations: { orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }] } },
    });
    if (!partner) throw notFound('Partner');
    return {
      id: partner.id,
      legalName: partner.legalName,
      country: partner.country,
      website: partner.website,
      industries: partner.industries,
      customerSizes: partner.customerSizes,
      technologies: partner.technologies,
      level: partner.level,
      status: partner.status,
      catalogVersionId: partner.catalogVersionId,
      activatedAt: partner.activatedAt?.toISOString() ?? null,
      locations: partner.locations.map(({ id, isPrimary, addressLine1, city, postalCode, country }) => ({
        id,
        isPrimary,
        addressLine1,
        city,
        postalCode,
        country,
      })),
      createdAt: partner.createdAt.toISOString(),
    };
  }
}
