import type { Type as Class } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { KeysetCursor, KeysetPage, PageRequest } from '#queries/pagination';
import { HttpStatus } from '@nestjs/common';
import { ApiError } from './api-error';

/** What a cursor looks like; only the ones a list handed out decode to a position (otherwise 422 invalid_cursor). */
const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

/** `limit` and `cursor` of every keyset-paginated list. */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page', pattern: CURSOR_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(CURSOR_PATTERN, { message: 'must be a cursor returned by this endpoint' })
  cursor?: string;
}

function decodeCursor(raw: string): KeysetCursor {
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as KeysetCursor;
    if (typeof cursor.id === 'string' && !Number.isNaN(Date.parse(cursor.at))) return cursor;
  } catch {
    // reported below
  }
  // It has the form of a cursor but names no position: well formed, so 422 rather than 400.
  throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'invalid_cursor', 'The cursor was not handed out by this list', [
    { field: 'cursor', reason: 'must be a cursor returned by this endpoint', code: 'invalid_cursor' },
  ]);
}

/** The page a list query asks for; a cursor this API did not hand out is a 400. */
export function pageRequest(query: PageQuery): PageRequest {
  return { limit: query.limit ?? 50, ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}) };
}

/** A page as the API answers it: the items and an opaque cursor for the next page. */
export interface Page<View> {
  items: View[];
  nextCursor: string | null;
}

export function pageResponse<View>(page: KeysetPage<View>): Page<View> {
  return { items: page.items, nextCursor: page.next && Buffer.from(JSON.stringify(page.next)).toString('base64url') };
}

/** The documented shape of a page of `item`: `{ items, nextCursor }`. */
export function PageOf<Item>(item: Class<Item>) {
  class Page {
    @ApiProperty({ type: [item] }) items: Item[];
    @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last' })
    nextCursor: string | null;
  }
  // Swagger names the schema after the class.
  Object.defineProperty(Page, 'name', { value: `${item.name.replace(/Dto$/, '')}PageDto` });
  return Page;
}
