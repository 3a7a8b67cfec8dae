import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldProblem {
  @ApiProperty({ example: 'organization.country' })
  field: string;

  @ApiProperty({ example: 'must be an ISO 3166-1 alpha-2 country code' })
  reason: string;

  @ApiProperty({ example: 'isISO31661Alpha2' })
  code: string;
}

/** The one error shape every route answers with. */
export class ApiErrorBody {
  @ApiProperty({ example: 'validation_failed' })
  code: string;

  @ApiProperty()
  message: string;

  @ApiPropertyOptional({ type: [FieldProblem] })
  fields?: FieldProblem[];

  @ApiPropertyOptional({ description: 'More about the error: per-check results on /health, missing requirements on an upgrade' })
  details?: unknown;
}

export class ApiError extends HttpException {
  constructor(status: HttpStatus, code: string, message: string, fields?: FieldProblem[], details?: unknown) {
    const body: ApiErrorBody = { code, message, ...(fields ? { fields } : {}), ...(details !== undefined ? { details } : {}) };
    super(body, status);
  }
}

export const notFound = (what: string) => new ApiError(HttpStatus.NOT_FOUND, 'not_found', `${what} was not found`);
export const conflict = (code: string, message: string) => new ApiError(HttpStatus.CONFLICT, code, message);
export const badRequest = (message: string, fields: FieldProblem[]) =>
  new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', message, fields);
