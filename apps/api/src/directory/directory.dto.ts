import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import type { DirectoryFacetsView, DirectoryPartnerView, DirectoryPresenceView, FacetCountView } from '#queries/directory';
import { COUNTRY_CODES } from '../common/formats';
import { PageQuery } from '../common/pagination';
import { QueryList } from '../common/query-lists';

const COUNTRY_PATTERN = `^(${COUNTRY_CODES.join('|')})$`;
const REGION_PATTERN = `^(${COUNTRY_CODES.join('|')})-[A-Z0-9]{1,3}$`;
const MAX_VALUES = 20;

/** A repeatable filter (up to 20 values), documented and checked alike: a partner holding any of its values matches. */
function ListFilter(
  description: string,
  example: string,
  items: { minLength: number; maxLength: number } | { pattern: string; message: string },
): PropertyDecorator {
  const each =
    'pattern' in items
      ? Matches(new RegExp(items.pattern), { each: true, message: items.message })
      : Length(items.minLength, items.maxLength, { each: true });
  const schema = 'pattern' in items ? { type: 'string', pattern: items.pattern } : { type: 'string', ...items };
  return applyDecorators(
    QueryList({
      description: `${description}; repeat the parameter for several (any of them matches)`,
      maxItems: MAX_VALUES,
      items: schema,
      example,
    }),
    IsString({ each: true }),
    each,
  );
}

/** A filter of codes, 1 to 100 characters each. */
const CodeFilter = (description: string, example: string) => ListFilter(description, example, { minLength: 1, maxLength: 100 });

/**
 * A Solution Finder search. Every filter is a list: repeat the parameter (`?competency=security&competency=learning`)
 * and any of its values matches; filters of different kinds must all match.
 */
export class DirectorySearchQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Words as people type them: "quoted phrases", -excluded, or; matched in each listing’s language',
    minLength: 1,
    maxLength: 200,
    example: 'retail analytics',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @CodeFilter('Competency codes of the catalog', 'security') competency?: string[];
  @CodeFilter('Industries', 'retail') industry?: string[];
  @CodeFilter('Customer sizes', 'small-business') customerSize?: string[];
  @CodeFilter('Technologies', 'sql-server') technology?: string[];
  @CodeFilter('Designation codes of the catalog', 'small-business-specialist') designation?: string[];
  @ListFilter('Countries of presence (ISO 3166-1 alpha-2): an office or a declared service area', 'GB', {
    pattern: COUNTRY_PATTERN,
    message: 'each value must be an upper-case ISO 3166-1 alpha-2 country code',
  })
  country?: string[];
  @ListFilter('Declared service regions (ISO 3166-2)', 'DE-BY', {
    pattern: REGION_PATTERN,
    message: 'each value must be an ISO 3166-2 region code',
  })
  region?: string[];
  @CodeFilter('Cities of active offices, as their addresses spell them', 'London') city?: string[];
}

export class DirectoryPresenceDto implements DirectoryPresenceView {
  @ApiProperty({ description: 'ISO 3166-1 alpha-2' }) country: string;
  @ApiProperty({ enum: ['office', 'service-area'], description: 'office: an active office there; service-area: declared as served' })
  presence: 'office' | 'service-area';
  @ApiProperty({ type: [String], description: 'Cities of its active offices there' }) cities: string[];
  @ApiProperty({ type: [String], description: 'Declared service regions there (ISO 3166-2)' }) regions: string[];
}

export class DirectoryPartnerDto implements DirectoryPartnerView {
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty() website: string;
  @ApiProperty({ description: 'The program level (gold, certified, or registered when the catalog lists it)' }) level: string;
  @ApiProperty({ type: [String], description: 'Granted competency codes' }) competencies: string[];
  @ApiProperty({ type: [String], description: 'Granted designation codes' }) designations: string[];
  @ApiProperty({ type: [String] }) industries: string[];
  @ApiProperty({ type: [String] }) customerSizes: string[];
  @ApiProperty({ type: [String] }) technologies: string[];
  @ApiProperty({ type: [String], description: 'ISO 639-1' }) languages: string[];
  @ApiProperty({
    type: [DirectoryPresenceDto],
    description: 'Its countries of presence, offices first; in a search with a locale, those that matched it',
  })
  presence: DirectoryPresenceDto[];
}

export class FacetCountDto implements FacetCountView {
  @ApiProperty() code: string;
  @ApiProperty({ type: 'integer', description: 'Partners of the whole result set with this value' }) count: number;
}

const facet = () => ApiProperty({ type: [FacetCountDto], description: 'Most frequent first, then by code; at most 50 values' });

export class DirectoryFacetsDto implements DirectoryFacetsView {
  @facet() competency: FacetCountDto[];
  @facet() industry: FacetCountDto[];
  @facet() customerSize: FacetCountDto[];
  @facet() technology: FacetCountDto[];
  @facet() designation: FacetCountDto[];
  @facet() country: FacetCountDto[];
  @facet() region: FacetCountDto[];
  @facet() city: FacetCountDto[];
}

export class DirectoryPageDto {
  @ApiProperty({
    type: [DirectoryPartnerDto],
    description: 'Gold first, then Certified (then Registered when listed); then relevance; then id',
  })
  items: DirectoryPartnerDto[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor: string | null;
  @ApiProperty({ type: 'integer', description: 'Partners in the whole result set' }) total: number;
  @ApiProperty({ type: DirectoryFacetsDto, description: 'Per filter kind, partners of the whole result set per value' })
  facets: DirectoryFacetsDto;
}
