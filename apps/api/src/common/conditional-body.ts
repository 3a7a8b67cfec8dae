import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBody, ApiExtraModels, getSchemaPath } from '@nestjs/swagger';
import { NOT_BLANK_PATTERN } from './formats';

/**
 * Documents a body whose `field` is required, and not blank, for some values of `discriminant`
 * only (a rejection needs its reason, an approval does not): the DTO's schema in two variants, so
 * the document states the rule the route checks.
 */
export function ApiBodyRequiringWhen(
  dto: Type<unknown>,
  discriminant: string,
  values: { optional: readonly string[]; required: readonly string[] },
  field: string,
) {
  const base = { $ref: getSchemaPath(dto) };
  return applyDecorators(
    ApiExtraModels(dto),
    ApiBody({
      schema: {
        oneOf: [
          { allOf: [base, { properties: { [discriminant]: { type: 'string', enum: [...values.optional] } } }] },
          {
            allOf: [
              base,
              {
                required: [field],
                properties: {
                  [discriminant]: { type: 'string', enum: [...values.required] },
                  [field]: { type: 'string', pattern: NOT_BLANK_PATTERN },
                },
              },
            ],
          },
        ],
      },
    }),
  );
}
