import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiErrorBody } from '../common/api-error';
import { uuidParam } from '../common/params';
import { ListReviewsQuery, ReviewDecisionDto, ReviewDto, ReviewPageDto } from './reviews.dto';
import { ReviewsService } from './reviews.service';

@ApiTags('reviews')
@ApiBearerAuth()
@Roles('reviewer', 'admin')
@Controller('v1/reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  @ApiOperation({ summary: 'Review tasks, oldest first, with a cursor' })
  @ApiOkResponse({ type: ReviewPageDto })
  list(@Query() query: ListReviewsQuery): Promise<ReviewPageDto> {
    return this.reviews.list(query);
  }

  @Post(':id/decision')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve or reject a review task' })
  @ApiOkResponse({ type: ReviewDto })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  @ApiConflictResponse({ type: ApiErrorBody })
  decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam()) id: string,
    @Body() body: ReviewDecisionDto,
  ): Promise<ReviewDto> {
    return this.reviews.decide(principal, id, body);
  }
}
