import { createHash } from 'node:crypto';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { renderPartnerLogo } from '#domain/logos';
import { partnerLogoOf } from '#queries/logos';
import { Public } from '../auth/principal';
import { notFound } from '../common/api-error';
import { ApiErrorResponse, ApiErrors } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { PrismaService } from '../database/prisma.service';

/**
 * Short, because a level change, a lapse or a withdrawal must show on partners' sites soon;
 * the ETag makes the revalidation after it cheap.
 */
const LOGO_MAX_AGE_SECONDS = 300;

@ApiTags('benefits')
@Controller('v1/partners/:id')
export class LogosController {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Public, so a partner can embed it on its own pages. Served as an image another origin may
   * embed, with a policy that would keep any script from running if one ever got in.
   */
  @Get('logo.svg')
  @Public()
  @ApiOperation({
    summary:
      "The partner's badge (public, embeddable): its level, name, competencies and the term's validity as SVG; only while it is an active partner whose level gives logos",
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of the badge read before: 304 while it is unchanged' })
  @ApiOkResponse({
    description: 'The badge, a standalone SVG document',
    content: { 'image/svg+xml': { schema: { type: 'string' } } },
    headers: { ETag: { schema: { type: 'string' }, description: "A hash of the badge's content" } },
  })
  @ApiResponse({ status: 304, description: 'Not modified: the ETag in If-None-Match is still the badge' })
  @ApiErrors([400, 429, 503])
  @ApiErrorResponse(404, 'not_found: no such partner, or it shows no badge (not active, or its level gives no logo)')
  async logo(@UuidParam() id: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const badge = await partnerLogoOf(this.prisma, id, new Date());
    // One answer for "unknown" and "no badge", so the route tells no more than the directory does.
    if (!badge) throw notFound('The partner logo');
    const svg = renderPartnerLogo(badge);
    // Set here rather than by decorators, which would put them on the 404's JSON too.
    response.set({
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': `public, max-age=${LOGO_MAX_AGE_SECONDS}`,
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      'X-Content-Type-Options': 'nosniff',
      ETag: `"${createHash('sha256').update(svg).digest('hex').slice(0, 32)}"`,
    });
    // Express answers 304 without the body when If-None-Match holds this ETag.
    return svg;
  }
}
