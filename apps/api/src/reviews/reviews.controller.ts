import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiKeyRoutes, ApiPageErrors } from '../common/api-responses';
import { ApiBodyRequiringWhen } from '../common/conditional-body';
import { UuidParam } from '../common/params';
import { ListReviewsQuery, ReviewDecisionDto, ReviewDto, ReviewPageDto } from './reviews.dto';
import { ReviewsService } from './reviews.service';

@ApiTags('reviews')
@ApiKeyRoutes()
@Roles('reviewer', 'admin')
@Controller('v1/reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  @ApiOperation({ summary: 'Review tasks, oldest first, with a cursor' })
  @ApiOkResponse({ type: ReviewPageDto })
  @ApiPageErrors()
  list(@Query() query: ListReviewsQuery): Promise<ReviewPageDto> {
    return this.reviews.list(query);
  }

  @Post(':id/decision')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve or reject a review task' })
  @ApiBodyRequiringWhen(ReviewDecisionDto, 'decision', { optional: ['approve'], required: ['reject', 'request_changes'] }, 'reason')
  @ApiOkResponse({ type: ReviewDto })
  @ApiErrorResponse(409, 'review_already_decided')
  @ApiErrorResponse(422, 'decision_not_offered: this kind of review does not take that decision')
  decide(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() body: ReviewDecisionDto): Promise<ReviewDto> {
    return this.reviews.decide(principal, id, body);
  }
}
