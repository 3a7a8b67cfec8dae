import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional } from 'class-validator';

/**
 * A repeatable query parameter as a list, without its empty values: `?city=` is what an empty
 * form field sends, and how clients write an empty list, so it filters on nothing; a list left
 * with no value is no filter at all. A list longer than allowed is kept whole, to be refused
 * as sent: the document counts its empty values too.
 */
function withoutEmptyValues(value: unknown, maxItems: number): unknown {
  if (value === undefined) return value;
  const sent = Array.isArray(value) ? value : [value];
  if (sent.length > maxItems) return sent;
  const values = sent.filter((item) => item !== '');
  return values.length ? values : undefined;
}

/** A value's schema widened to admit the empty value, which the list drops before any check. */
function admittingEmpty(items: SchemaObject): SchemaObject {
  if (items.enum) return { ...items, enum: ['', ...items.enum] };
  if (items.pattern) return { ...items, pattern: `^$|${items.pattern}` };
  return { ...items, minLength: 0 };
}

/**
 * A repeatable query parameter (`?country=GB&country=IE`), documented and parsed alike; the
 * property adds the checks of each value. `type: 'array'`, not `[String]`: for a query parameter
 * @nestjs/swagger keeps `items` only so.
 */
export function QueryList(options: { description: string; maxItems: number; items: SchemaObject; example?: string }): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      description: options.description,
      maxItems: options.maxItems,
      items: admittingEmpty(options.items),
      ...(options.example && { example: [options.example] }),
    }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => withoutEmptyValues(value, options.maxItems)),
    IsArray(),
    ArrayMaxSize(options.maxItems),
  );
}
