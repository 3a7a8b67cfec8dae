import type { NextFunction, Request, Response } from 'express';

/** No request of this API nests deeper; far deeper bodies would only exhaust the validators' recursion. */
export const MAX_BODY_DEPTH = 32;
export const BODY_TOO_DEEP = 'entity.too.deep';

/** Whether a parsed JSON value nests deeper than `limit` objects or arrays; iterative, so any depth is safe to measure. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Refuses an over-deep body right after parsing, before validation, as the body parser refuses an over-large one. */
export function rejectDeepBodies(request: Request, _response: Response, next: NextFunction): void {
  if (nestsDeeperThan(request.body, MAX_BODY_DEPTH)) {
    next(Object.assign(new Error('The JSON body nests too deep'), { type: BODY_TOO_DEEP, status: 400 }));
    return;
  }
  next();
}
