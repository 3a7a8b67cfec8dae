import { Param, ParseUUIDPipe, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { badRequest } from './api-error';
import { ApiErrors } from './api-responses';

/** What `uuidParam` accepts (ParseUUIDPipe's `all`: any hex digits in the 8-4-4-4-12 layout). */
export const UUID_PARAM_PATTERN = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$';

/** A UUID path parameter; anything else is a 400 in the common error shape. */
export const uuidParam = (field = 'id') =>
  new ParseUUIDPipe({
    exceptionFactory: () => badRequest('The request is not valid', [{ field, reason: 'must be a UUID', code: 'isUuid' }]),
  });

/**
 * A path parameter naming a resource by its UUID: checked by `uuidParam` and documented as it
 * checks (format and pattern), with the 404 of an id that names nothing the key may see.
 */
export const UuidParam =
  (name = 'id'): ParameterDecorator =>
  (target, key, index) => {
    Param(name, uuidParam(name))(target, key, index);
    const descriptor = Object.getOwnPropertyDescriptor(target, key!)!;
    ApiParam({ name, schema: { type: 'string', format: 'uuid', pattern: UUID_PARAM_PATTERN } })(target, key!, descriptor);
    ApiErrors([404])(target, key!, descriptor);
  };

/** What `ApiKeyIdPipe` accepts. */
export const API_KEY_ID_PATTERN = '^[a-z0-9-]{1,64}$';

/** An API key's id as issued: 16 hex characters, or a fixed name such as `bootstrap-admin`. */
export class ApiKeyIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (new RegExp(API_KEY_ID_PATTERN).test(value)) return value;
    throw badRequest('The request is not valid', [{ field: 'id', reason: 'must be an API key id', code: 'invalid_api_key_id' }]);
  }
}
