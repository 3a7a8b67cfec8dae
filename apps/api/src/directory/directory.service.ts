import { HttpStatus, Injectable } from '@nestjs/common';
import { DIRECTORY_FILTERS } from '#domain/directory';
import { type DirectoryCursor, type DirectoryPartnerView, findDirectoryPartner, searchDirectory } from '#queries/directory';
import { ApiError, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import type { DirectoryPageDto, DirectorySearchQuery } from './directory.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const encodeCursor = (cursor: DirectoryCursor) =>
  Buffer.from(JSON.stringify([cursor.levelRank, cursor.relevance, cursor.partnerId])).toString('base64url');

/** A cursor this search handed out: [level rank, relevance, partner id]; anything else is a 422. */
function decodeCursor(raw: string): DirectoryCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3) {
      const [levelRank, relevance, partnerId] = value as unknown[];
      if (
        Number.isInteger(levelRank) &&
        typeof relevance === 'number' &&
        Number.isFinite(relevance) &&
        typeof partnerId === 'string' &&
        UUID.test(partnerId)
      ) {
        return { levelRank: levelRank as number, relevance, partnerId };
      }
    }
  } catch {
    // reported below
  }
  throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'invalid_cursor', 'The cursor was not handed out by this list', [
    { field: 'cursor', reason: 'must be a cursor returned by this endpoint', code: 'invalid_cursor' },
  ]);
}

/** The Solution Finder: public reads of the directory read model. */
@Injectable()
export class DirectoryService {
  constructor(private readonly prisma: PrismaService) {}

  async search(query: DirectorySearchQuery): Promise<DirectoryPageDto> {
    const result = await searchDirectory(this.prisma, {
      q: query.q,
      filters: Object.fromEntries(DIRECTORY_FILTERS.map((kind) => [kind, query[kind]])),
      limit: query.limit ?? 50,
      ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
    });
    return { items: result.items, nextCursor: result.next && encodeCursor(result.next), total: result.total, facets: result.facets };
  }

  async partner(partnerId: string): Promise<DirectoryPartnerView> {
    const partner = await findDirectoryPartner(this.prisma, partnerId);
    if (!partner) throw notFound(`Listed partner ${partnerId}`);
    return partner;
  }
}
