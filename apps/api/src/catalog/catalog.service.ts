import { HttpStatus, Injectable } from '@nestjs/common';
import { type CatalogInForce, findCatalogInForce } from '#queries/catalog';
import { ApiError } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';

/** The program catalog in force, for every context that checks a request against its rules. */
@Injectable()
export class CatalogService {
  constructor(private readonly prisma: PrismaService) {}

  /** The catalog in force now; 503 until the seed has published one. */
  async inForce(): Promise<CatalogInForce> {
    const catalog = await findCatalogInForce(this.prisma, new Date());
    if (!catalog) throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'catalog_unavailable', 'No program catalog is in force yet');
    return catalog;
  }
}
