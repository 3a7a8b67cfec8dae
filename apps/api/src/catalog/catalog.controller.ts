import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/principal';
import { ApiErrorResponse, ApiErrors } from '../common/api-responses';
import { CatalogDto, CatalogQuery } from './catalog.dto';
import { CatalogService } from './catalog.service';

/**
 * The in-force version gives way to the next one at its effective date; a named one never changes
 * but its `inForce` does, so it is kept longer, not for ever.
 */
const IN_FORCE_MAX_AGE_SECONDS = 60;
const NAMED_VERSION_MAX_AGE_SECONDS = 3_600;

@ApiTags('catalog')
@Controller('v1/catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  /**
   * Public, so clients and the console read the program instead of hard-coding it. A published
   * version never changes, so its content hash (with whether it is in force) is a strong
   * validator: a client that holds it gets 304 and no body.
   */
  @Get()
  @Public()
  @ApiOperation({
    summary:
      'The program catalog (public): levels, requirements, fees, point sources, competencies, benefits by stage, optional benefits priced per level and competency, designations',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of a catalog read before: 304 while it is unchanged' })
  @ApiOkResponse({ type: CatalogDto, headers: { ETag: { schema: { type: 'string' }, description: 'The version and its content hash' } } })
  @ApiResponse({ status: 304, description: 'Not modified: the ETag in If-None-Match is still the catalog asked for' })
  @ApiErrors([400, 429, 503])
  @ApiErrorResponse(404, 'not_found: no catalog version of that id is published')
  async read(@Query() query: CatalogQuery, @Res({ passthrough: true }) response: Response): Promise<CatalogDto> {
    const header = await this.catalog.header(query.version);
    const content = header.contentHash?.slice(0, 16) ?? String(header.effectiveFrom.getTime());
    response.setHeader('ETag', `"${header.id}-${content}-${header.inForce ? 'in-force' : 'not-in-force'}"`);
    const maxAge = query.version === undefined ? IN_FORCE_MAX_AGE_SECONDS : NAMED_VERSION_MAX_AGE_SECONDS;
    response.setHeader('Cache-Control', `public, max-age=${maxAge}`);
    // Express answers 304 without the body when If-None-Match holds this ETag.
    return this.catalog.view(header);
  }
}
