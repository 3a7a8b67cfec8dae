import { HttpStatus, Injectable } from '@nestjs/common';
import {
  type CatalogInForce,
  type CatalogVersionHeader,
  type CatalogView,
  findCatalogInForce,
  findCatalogVersionHeader,
  findCatalogView,
} from '#queries/catalog';
import { ApiError, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';

/** The program catalog in force, for every context that checks a request against its rules, and for clients to read. */
@Injectable()
export class CatalogService {
  constructor(private readonly prisma: PrismaService) {}

  /** The catalog in force now; 503 until the seed has published one. */
  async inForce(): Promise<CatalogInForce> {
    const catalog = await findCatalogInForce(this.prisma, new Date());
    if (!catalog) throw unavailable();
    return catalog;
  }

  /** The version named, or the one in force: 404 for a version never published, 503 before any is. */
  async header(version: string | undefined): Promise<CatalogVersionHeader> {
    const header = await findCatalogVersionHeader(this.prisma, version, new Date());
    if (header) return header;
    throw version === undefined ? unavailable() : notFound(`Catalog version ${version}`);
  }

  view(header: CatalogVersionHeader): Promise<CatalogView> {
    return findCatalogView(this.prisma, header);
  }
}

const unavailable = () => new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'catalog_unavailable', 'No program catalog is in force yet');
