import type { OpenAPIObject } from '@nestjs/swagger';
import { forbidNulInRequests } from './nul-characters';

type Schema = Record<string, unknown>;

/** The component schemas a part of the document refers to, directly or through other components. */
function referencedComponents(document: OpenAPIObject, roots: unknown[]): Set<string> {
  const found = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...node);
    } else if (node && typeof node === 'object') {
      const ref = (node as { $ref?: unknown }).$ref;
      if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
        const name = ref.slice('#/components/schemas/'.length);
        if (!found.has(name)) {
          found.add(name);
          pending.push(document.components?.schemas?.[name]);
        }
      }
      pending.push(...Object.values(node));
    }
  }
  return found;
}

/**
 * States in the document what the pipes enforce beyond the DTOs' own decorators. A request body's
 * objects take no fields beyond those listed (`forbidNonWhitelisted`): only schemas that no
 * response uses are closed, so a response never claims less than it may carry; one that says
 * otherwise is kept. No free-text string of a request holds U+0000 (`RejectNulCharactersPipe`).
 */
export function stateRequestRules(document: OpenAPIObject): OpenAPIObject {
  const operations = Object.values(document.paths).flatMap((item) => Object.values(item) as Array<Schema>);
  const requests = referencedComponents(
    document,
    operations.map((operation) => operation.requestBody),
  );
  const responses = referencedComponents(
    document,
    operations.map((operation) => operation.responses),
  );
  for (const name of requests) {
    const schema = document.components?.schemas?.[name] as Schema | undefined;
    if (!schema || responses.has(name) || schema.type !== 'object' || 'additionalProperties' in schema) continue;
    schema.additionalProperties = false;
  }
  forbidNulInRequests(document, requests);
  return document;
}
