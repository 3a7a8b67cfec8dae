import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DirectoryPartnerView } from '#queries/directory';
import { Public } from '../auth/principal';
import { ApiErrors, ApiPageErrors } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { DirectoryPageDto, DirectoryPartnerDto, DirectorySearchQuery } from './directory.dto';
import { DirectoryService } from './directory.service';

/** The Solution Finder: public, no key, limited per client IP like every anonymous request. */
@ApiTags('directory')
@Controller('v1/directory/partners')
@Public()
@ApiErrors([400, 429, 503])
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @ApiOperation({
    summary:
      'Search the listed partners (public): words, and filters that each match any of their values and must all match; Gold first, then relevance; facet counts over the whole result',
  })
  @ApiOkResponse({ type: DirectoryPageDto })
  @ApiPageErrors()
  search(@Query() query: DirectorySearchQuery): Promise<DirectoryPageDto> {
    return this.directory.search(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A listed partner’s public profile (public), every country of presence; 404 when it is not listed' })
  @ApiOkResponse({ type: DirectoryPartnerDto })
  get(@UuidParam() id: string): Promise<DirectoryPartnerView> {
    return this.directory.partner(id);
  }
}
