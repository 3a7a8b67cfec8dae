import { type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { badRequest } from './api-error';

/**
 * Postgres text cannot hold U+0000, so a string carrying it would fail at the first write, in the
 * API or, worse, in an activity that retries it for ever. Refused at the edge, for every field of
 * every body, query and path, and stated in the document as a pattern on every free-text string.
 */
export const NO_NUL_PATTERN = '^[^\\u0000]*$';

/** The paths (`contact.name`, `locations.1.city`) of the strings and keys in a parsed value that hold U+0000. */
export function pathsWithNul(value: unknown): string[] {
  const found: string[] = [];
  const pending: Array<[unknown, string]> = [[value, '']];
  while (pending.length > 0) {
    const [current, path] = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) found.push(path);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) found.push(childPath);
        else pending.push([child, childPath]);
      }
    }
  }
  return found.sort();
}

export class RejectNulCharactersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const paths = pathsWithNul(value);
    if (paths.length > 0) {
      throw badRequest(
        'The request is not valid',
        paths.map((field) => ({ field, code: 'nul_character', reason: 'must not contain the NUL character (U+0000)' })),
      );
    }
    return value;
  }
}

type Schema = Record<string, unknown>;

/** Gives every string schema under `node` that no pattern, enum or format already bounds the no-NUL pattern; stops at `$ref`s. */
function forbidNulIn(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(forbidNulIn);
    return;
  }
  if (!node || typeof node !== 'object' || '$ref' in node) return;
  const schema = node as Schema;
  if (schema.type === 'string' && !('pattern' in schema) && !('enum' in schema) && !('format' in schema) && !('const' in schema)) {
    schema.pattern = NO_NUL_PATTERN;
  }
  for (const key of ['properties', 'items', 'additionalProperties', 'oneOf', 'anyOf', 'allOf'] as const) {
    const child = schema[key];
    if (key === 'properties' && child && typeof child === 'object') Object.values(child).forEach(forbidNulIn);
    else forbidNulIn(child);
  }
}

/** States `RejectNulCharactersPipe` in the document: the free-text strings of request bodies, queries and paths exclude U+0000. */
export function forbidNulInRequests(document: OpenAPIObject, requestComponents: Iterable<string>): void {
  for (const name of requestComponents) forbidNulIn(document.components?.schemas?.[name]);
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Schema[]) {
      if (!operation || typeof operation !== 'object') continue;
      const parameters = (operation.parameters ?? []) as Array<{ in?: string; schema?: unknown }>;
      for (const parameter of parameters) if (parameter.in === 'query' || parameter.in === 'path') forbidNulIn(parameter.schema);
      const content = (operation.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content ?? {};
      for (const media of Object.values(content)) forbidNulIn(media.schema);
    }
  }
}
