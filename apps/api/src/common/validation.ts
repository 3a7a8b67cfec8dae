import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { badRequest, type FieldProblem } from './api-error';

const withoutPrefix = (text: string, prefix: string) => (text.startsWith(prefix) ? text.slice(prefix.length) : text);

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([code, reason]) => ({
      field,
      code: code === 'whitelistValidation' ? 'unknown_field' : code,
      // class-validator's own messages start with the property's name; custom ones ("must be a cursor …") do not.
      reason: code === 'whitelistValidation' ? 'is not a known field' : withoutPrefix(reason, `${error.property} `),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Validates every DTO at the edge, rejects unknown fields and reports every problem at once. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => badRequest('The request is not valid', flattenValidationErrors(errors)),
  });
}

/**
 * A body field that may be left out. Unlike `@IsOptional()`, a `null` is validated like any other
 * value, and so refused: the document states such a field as absent or of its type, never null.
 */
export const Optional = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
