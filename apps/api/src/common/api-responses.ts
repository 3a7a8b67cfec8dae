import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ApiErrorBody } from './api-error';

/** The error statuses this API answers with, each in the `ApiErrorBody` shape. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 422 | 429 | 503;

/** What each error status means on every route; a route may name its own codes beside it. */
const ERROR_MEANINGS: Record<ErrorStatus, string> = {
  400: 'validation_failed (each problem in `fields`), malformed_request or body_too_deep: the request breaks this document',
  401: 'unauthenticated, api_key_revoked, api_key_expired or partner_rejected: no valid API key',
  403: "forbidden: the key's role may not do this; partner_read_only: a withdrawn or lapsed partner's key may only read",
  404: 'not_found: no such resource, or one the key may not see',
  409: 'The resource is not in a state that allows this (the code says which)',
  410: "partner_consolidated: this partner was absorbed by another (details.consolidatedIntoId); use that partner's key",
  422: 'The request is well formed, but the program rules refuse it (the code says which)',
  429: 'rate_limited: over the limit; retry after Retry-After seconds',
  503: 'postgres_unavailable or temporal_unavailable: a dependency does not answer; retry after Retry-After seconds',
};

/**
 * Declares error responses with the one error shape; `description` adds the route's own codes.
 * Repeated statuses merge, so a controller can declare the common ones and a route its own.
 */
export function ApiErrors(statuses: ErrorStatus[], description?: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        type: ApiErrorBody,
        description: description ? `${ERROR_MEANINGS[status]}. ${description}` : ERROR_MEANINGS[status],
      }),
    ),
  );
}

/** One route's own error, with its codes: `@ApiErrorResponse(409, 'review_already_decided')`. */
export const ApiErrorResponse = (status: ErrorStatus, codes: string) => ApiErrors([status], codes);

/** Every keyset-paginated list: a cursor it did not hand out is well formed, so 422. */
export const ApiPageErrors = () => ApiErrorResponse(422, 'invalid_cursor: not a cursor this list handed out');

/**
 * Routes that take an API key (`Authorization: Bearer`), and what any of them may answer besides
 * their own results: 400 for input this document does not allow, 401 without a valid key, 410
 * for a consolidated partner's key, 429 over the rate limit, 503 when a dependency is down.
 * `@Roles()` adds 403 and a UUID path parameter 404.
 */
export const ApiKeyRoutes = () => applyDecorators(ApiBearerAuth(), ApiErrors([400, 401, 410, 429, 503]));
