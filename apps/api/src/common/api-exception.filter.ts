import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import {
  isGrpcServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Response } from 'express';
import { Prisma } from '#lib/database';
import { CORRECTION_REFUSED } from '#workflows/points/definitions';
import { DECISION_NOT_OFFERED, REVIEW_NOT_OPEN } from '#workflows/reviews/definitions';
import { COMPETENCY_NOT_GRANTED } from '#workflows/competencies/definitions';
import { DESIGNATION_NOT_GRANTED } from '#workflows/designations/definitions';
import { BENEFIT_NOT_OFFERED } from '#workflows/payments/definitions';
import { SUPPORT_INCIDENT_NOT_IN_PROGRESS, SUPPORT_INCIDENT_NOT_OPEN } from '#workflows/benefits/definitions';
import { LOCATION_CHANGE_REFUSED } from '#workflows/locations/definitions';
import { SURVEY_CLOSED } from '#workflows/surveys/definitions';
import { CONSOLIDATION_REFUSED } from '#workflows/consolidations/definitions';
import { RENEWAL_EXCEPTION_REFUSED, RENEWAL_NOT_OPEN } from '#workflows/renewals/definitions';
import type { ApiErrorBody } from './api-error';
import { BODY_TOO_DEEP, MAX_BODY_DEPTH } from './body-depth';

const BODY_PARSER_ERRORS: Record<string, [number, string, string]> = {
  'entity.too.large': [HttpStatus.PAYLOAD_TOO_LARGE, 'payload_too_large', 'The request body is too large'],
  'encoding.unsupported': [HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_encoding', 'The request encoding is not supported'],
  'charset.unsupported': [HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_charset', 'JSON bodies must be UTF-8'],
  [BODY_TOO_DEEP]: [HttpStatus.BAD_REQUEST, 'body_too_deep', `The JSON body nests deeper than ${MAX_BODY_DEPTH} levels`],
};

/**
 * Business refusals raised in workflows (update validators) and activities, by failure type;
 * without a message here, the failure's own message is shown.
 */
const WORKFLOW_REFUSALS: Record<string, [number, string, string?]> = {
  [REVIEW_NOT_OPEN]: [HttpStatus.CONFLICT, 'review_already_decided', 'This review is no longer open for a decision'],
  [SURVEY_CLOSED]: [HttpStatus.CONFLICT, 'survey_closed', 'This survey was already answered or has expired'],
  [CORRECTION_REFUSED]: [HttpStatus.UNPROCESSABLE_ENTITY, 'correction_refused'],
  [DECISION_NOT_OFFERED]: [HttpStatus.UNPROCESSABLE_ENTITY, 'decision_not_offered'],
  [BENEFIT_NOT_OFFERED]: [HttpStatus.UNPROCESSABLE_ENTITY, 'benefit_not_offered'],
  [LOCATION_CHANGE_REFUSED]: [HttpStatus.CONFLICT, 'location_change_refused'],
  [CONSOLIDATION_REFUSED]: [HttpStatus.CONFLICT, 'consolidation_not_awaiting_consent'],
  [RENEWAL_NOT_OPEN]: [HttpStatus.CONFLICT, 'renewal_not_open'],
  [RENEWAL_EXCEPTION_REFUSED]: [HttpStatus.CONFLICT, 'renewal_exception_refused'],
  [COMPETENCY_NOT_GRANTED]: [HttpStatus.CONFLICT, 'competency_not_granted', 'Only a granted competency can be revoked'],
  [SUPPORT_INCIDENT_NOT_OPEN]: [HttpStatus.CONFLICT, 'support_incident_not_open'],
  [SUPPORT_INCIDENT_NOT_IN_PROGRESS]: [HttpStatus.CONFLICT, 'support_incident_not_in_progress'],
  [DESIGNATION_NOT_GRANTED]: [HttpStatus.CONFLICT, 'designation_not_granted', 'Only a granted designation can be revoked'],
};

/** The known refusal behind a failed update or workflow (workflow -> activity -> application). */
function workflowRefusal(exception: unknown): ApplicationFailure | undefined {
  if (!(exception instanceof WorkflowUpdateFailedError || exception instanceof WorkflowFailedError)) return undefined;
  for (let cause: unknown = exception.cause; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type && WORKFLOW_REFUSALS[cause.type]) return cause;
  }
  return undefined;
}

/** gRPC statuses that say Temporal is out of reach or out of time, not that the request is wrong. */
const TEMPORAL_UNAVAILABLE_GRPC = new Set([1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);
/** Prisma's codes for a database it cannot reach, that dropped the connection or whose pool ran dry. */
const DATABASE_UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** SQLSTATEs of a Postgres that is going away, coming back, or not reachable (admin shutdown, crash, cannot connect). */
const POSTGRES_UNAVAILABLE_SQLSTATE = /^(57P0[1-3]|08\d{3})$/;
/** How long a client should wait before retrying when a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;

/** Which dependency the error says is down, if any: the API then answers 503 and the client retries. */
function unavailableDependency(exception: unknown): 'temporal' | 'postgres' | undefined {
  if (exception instanceof Prisma.PrismaClientInitializationError) return 'postgres';
  if (exception instanceof Prisma.PrismaClientKnownRequestError && DATABASE_UNAVAILABLE_CODES.has(exception.code)) return 'postgres';
  for (let cause: unknown = exception; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'temporal';
    if (isGrpcServiceError(cause) && TEMPORAL_UNAVAILABLE_GRPC.has(cause.code)) return 'temporal';
    // The pg driver, under the Prisma adapter, reports a refused or dropped connection by its errno,
    // and a server shutting down, starting up or recovering by its SQLSTATE (57P01-57P03, class 08).
    const { code, originalCode } = cause as { code?: unknown; originalCode?: unknown };
    if (
      code === 'ECONNREFUSED' ||
      [code, originalCode].some((value) => typeof value === 'string' && POSTGRES_UNAVAILABLE_SQLSTATE.test(value)) ||
      /connection terminated|Connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/.test(
        cause.message,
      )
    ) {
      return 'postgres';
    }
  }
  return undefined;
}

const HTTP_CODES: Record<number, string> = {
  // Our own 400s carry codes; Nest raises code-less ones only for unparsable JSON or URLs.
  400: 'malformed_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/**
 * The status and `{ code, message, fields? }` body for any error; the bulk endpoints use it to
 * report each item as the single-item route would answer it.
 */
export function describeError(exception: unknown): [number, ApiErrorBody] {
  const bodyParserType = (exception as { type?: string } | null)?.type;
  if (bodyParserType && BODY_PARSER_ERRORS[bodyParserType]) {
    const [status, code, message] = BODY_PARSER_ERRORS[bodyParserType];
    return [status, { code, message }];
  }
  if (exception instanceof ThrottlerException) {
    return [HttpStatus.TOO_MANY_REQUESTS, { code: 'rate_limited', message: 'Too many requests; retry later' }];
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const payload = exception.getResponse();
    if (typeof payload === 'object' && payload !== null && 'code' in payload) return [status, payload as ApiErrorBody];
    // Terminus answers an unhealthy check with per-indicator details worth keeping.
    const details = typeof payload === 'object' && payload !== null && 'details' in payload ? { details: payload.details } : {};
    return [status, { code: HTTP_CODES[status] ?? 'error', message: exception.message, ...details }];
  }
  const refusal = workflowRefusal(exception);
  if (refusal) {
    const [status, code, message] = WORKFLOW_REFUSALS[refusal.type!];
    return [status, { code, message: message ?? refusal.message }];
  }
  if (exception instanceof WorkflowNotFoundError) {
    return [HttpStatus.NOT_FOUND, { code: 'not_found', message: 'The process was not found' }];
  }
  if (exception instanceof WorkflowExecutionAlreadyStartedError) {
    return [HttpStatus.CONFLICT, { code: 'already_started', message: 'This process is already running' }];
  }
  const unavailable = unavailableDependency(exception);
  if (unavailable) {
    const what = unavailable === 'temporal' ? 'The workflow service' : 'The database';
    return [HttpStatus.SERVICE_UNAVAILABLE, { code: `${unavailable}_unavailable`, message: `${what} is not answering; retry later` }];
  }
  if (exception instanceof Prisma.PrismaClientKnownRequestError) {
    if (exception.code === 'P2002') return [HttpStatus.CONFLICT, { code: 'conflict', message: 'The resource already exists' }];
    if (exception.code === 'P2025') return [HttpStatus.NOT_FOUND, { code: 'not_found', message: 'The resource was not found' }];
  }
  return [HttpStatus.INTERNAL_SERVER_ERROR, { code: 'internal_error', message: 'An unexpected error occurred' }];
}

/** Maps every error to `{ code, message, fields? }`; nothing unexpected leaks past a 500. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = describeError(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (status === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(status).json(body);
  }
}
