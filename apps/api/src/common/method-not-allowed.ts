import { HttpStatus } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { ApiErrorBody } from './api-error';

const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

/** A path template of the document as Express matches it: any case, an optional trailing slash. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`, 'i');
}

/** The methods each documented path answers; GET brings HEAD, and OPTIONS is answered everywhere. */
export function knownPaths(document: Pick<OpenAPIObject, 'paths'>): KnownPath[] {
  return Object.entries(document.paths).map(([template, item]) => {
    const methods = new Set(OPERATION_METHODS.filter((method) => item[method]).map((method) => method.toUpperCase()));
    if (methods.has('GET')) methods.add('HEAD');
    methods.add('OPTIONS');
    return { pattern: templatePattern(template), methods };
  });
}

/**
 * Answers 405 with `Allow` to a method the document does not list for a path it does list (TRACE
 * on /v1/enrollments, say), before routing would call it an unknown path (404); OPTIONS on such a
 * path answers 204 with the same `Allow`.
 */
export function rejectUndocumentedMethods(document: Pick<OpenAPIObject, 'paths'>) {
  const paths = knownPaths(document);
  return (request: Request, response: Response, next: NextFunction): void => {
    const matching = paths.filter((path) => path.pattern.test(request.path));
    const allowed = [...new Set(matching.flatMap((path) => [...path.methods]))];
    if (matching.length === 0 || (request.method !== 'OPTIONS' && allowed.includes(request.method))) {
      next();
      return;
    }
    response.setHeader('Allow', allowed.join(', '));
    if (request.method === 'OPTIONS') {
      response.status(HttpStatus.NO_CONTENT).end();
      return;
    }
    const body: ApiErrorBody = {
      code: 'method_not_allowed',
      message: `${request.method} is not allowed on this path; allowed: ${allowed.join(', ')}`,
    };
    response.status(HttpStatus.METHOD_NOT_ALLOWED).json(body);
  };
}
