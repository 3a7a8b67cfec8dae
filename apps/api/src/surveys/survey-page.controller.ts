import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { renderSurveyPage, SURVEY_PAGE_HEADERS } from './survey-page';

/**
 * The page the invitation mail links to: a customer answers the catalog's questions there, and its
 * script posts to `POST /v1/surveys/responses`. A page for people, like `/docs`, so it is not in the
 * OpenAPI document; it takes no key and no parameters (the token is in the URL fragment, which
 * never reaches the server), and like every route it counts against the per-IP limit.
 */
@ApiExcludeController()
@Controller()
export class SurveyPageController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('survey')
  @Public()
  async page(@Res({ passthrough: true }) response: Response): Promise<string> {
    const rules = (await this.catalog.inForce()).rules.customerSatisfaction;
    response.set(SURVEY_PAGE_HEADERS);
    return renderSurveyPage(rules);
  }
}
