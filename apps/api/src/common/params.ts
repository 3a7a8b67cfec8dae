import { ParseUUIDPipe } from '@nestjs/common';
import { badRequest } from './api-error';

/** A UUID path parameter; anything else is a 400 in the common error shape. */
export const uuidParam = (field = 'id') =>
  new ParseUUIDPipe({
    exceptionFactory: () => badRequest('The request is not valid', [{ field, reason: 'must be a UUID', code: 'isUuid' }]),
  });
