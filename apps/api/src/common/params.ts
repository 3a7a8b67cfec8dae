import { ParseUUIDPipe, type PipeTransform } from '@nestjs/common';
import { badRequest } from './api-error';

/** A UUID path parameter; anything else is a 400 in the common error shape. */
export const uuidParam = (field = 'id') =>
  new ParseUUIDPipe({
    exceptionFactory: () => badRequest('The request is not valid', [{ field, reason: 'must be a UUID', code: 'isUuid' }]),
  });

/** An API key's id as issued: 16 hex characters, or a fixed name such as `bootstrap-admin`. */
export class ApiKeyIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (/^[a-z0-9-]{1,64}$/.test(value)) return value;
    throw badRequest('The request is not valid', [{ field: 'id', reason: 'must be an API key id', code: 'invalid_api_key_id' }]);
  }
}
