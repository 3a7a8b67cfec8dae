import { type ExecutionContext, Injectable } from '@nestjs/common';
import { normalizeIp, SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { hashApiKey } from '#lib/api-keys';
import { bearerToken, IS_PUBLIC } from '../auth/principal';

/** Every request counts against its caller: the key it presents, or its IP when it presents none. */
export const PER_CALLER = 'default';
/** Public writes also count per client IP and route, with a tighter limit. */
export const PUBLIC_PER_IP = 'public';

export function callerTracker(request: Record<string, unknown>): string {
  const { ip, headers } = request as unknown as Request;
  const token = bearerToken({ headers });
  // An invalid key gets its own bucket too; the auth guard then refuses it with one indexed lookup.
  return token ? `key:${hashApiKey(token)}` : `ip:${normalizeIp(ip ?? '')}`;
}

/** One bucket per caller across every route, so a key's limit is its whole budget. */
export const callerKey = (_context: ExecutionContext, tracker: string, throttler: string) => `${throttler}:${tracker}`;

export const isPublicRoute = (reflector: { getAllAndOverride<T>(key: string, targets: unknown[]): T }, context: ExecutionContext) =>
  reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;

/**
 * The throttler with the IETF draft's header names (RateLimit-Limit, -Remaining, -Reset and
 * Retry-After). The public throttler runs after the per-caller one and, being the tighter,
 * overwrites its headers, so a client sees the limit it will meet first.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';

  protected override setResponseHeader(response: Record<string, unknown>, name: string, value: string | number): void {
    super.setResponseHeader(response, name.replace(`-${PUBLIC_PER_IP}`, ''), value);
  }
}

/** Not limited: health is polled by orchestrators, and the payment webhook is signed and retried by the processor. */
export const NoRateLimit = () => SkipThrottle({ [PER_CALLER]: true, [PUBLIC_PER_IP]: true });
