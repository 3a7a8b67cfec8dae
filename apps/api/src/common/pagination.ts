import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { badRequest } from './api-error';

/** `limit` and `cursor` of every keyset-paginated list. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'must be a cursor returned by this endpoint' })
  cursor?: string;
}

/** Where the previous page ended: the sort time and the id that breaks ties. */
export interface KeysetCursor {
  at: string;
  id: string;
}

function decodeCursor(raw: string): KeysetCursor {
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as KeysetCursor;
    if (typeof cursor.id === 'string' && !Number.isNaN(Date.parse(cursor.at))) return cursor;
  } catch {
    // reported below
  }
  throw badRequest('The request is not valid', [
    { field: 'cursor', reason: 'must be a cursor returned by this endpoint', code: 'invalid_cursor' },
  ]);
}

/**
 * Keyset pagination over (time, id) ascending: the filter for rows after the cursor, the
 * `take` that tells whether another page exists, and the page with its next cursor.
 */
export function keysetPage<TimeField extends string, IdField extends string>(query: PageQuery, timeField: TimeField, idField: IdField) {
  const limit = query.limit ?? 50;
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  return {
    where: after
      ? { OR: [{ [timeField]: { gt: new Date(after.at) } }, { [timeField]: new Date(after.at), [idField]: { gt: after.id } }] }
      : {},
    orderBy: [{ [timeField]: 'asc' as const }, { [idField]: 'asc' as const }],
    take: limit + 1,
    page<Row extends Record<TimeField, Date> & Record<IdField, string>>(rows: Row[]): { rows: Row[]; nextCursor: string | null } {
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const cursor: KeysetCursor | null = rows.length > limit && last ? { at: last[timeField].toISOString(), id: last[idField] } : null;
      return { rows: page, nextCursor: cursor && Buffer.from(JSON.stringify(cursor)).toString('base64url') };
    },
  };
}
