import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { NOT_BLANK_PATTERN } from './formats';
import { Optional } from './validation';

/**
 * Text a person writes, 1 to `maxLength` characters and not blank, stated alike to the validator
 * and the document; `required: false` lets it be left out (never null).
 */
export function Text(maxLength: number, doc: ApiPropertyOptions & { required: boolean }) {
  const documented = { minLength: 1, maxLength, pattern: NOT_BLANK_PATTERN, type: String, ...doc };
  return applyDecorators(
    doc.required ? ApiProperty(documented) : ApiPropertyOptional(documented),
    ...(doc.required ? [] : [Optional()]),
    IsString(),
    Length(1, maxLength),
    Matches(new RegExp(NOT_BLANK_PATTERN), { message: 'must not be blank' }),
  );
}
