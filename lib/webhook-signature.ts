import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * One scheme for every signed webhook, inbound from the payment processor and outbound to
 * partners: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. The timestamp is
 * signed with the body so a captured request cannot be replayed once it is stale.
 */
export const SIGNATURE_HEADER = 'x-signature';

/** How old a signature may be when it arrives; older ones are refused as replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, timestamp: number, body: Buffer | string) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

const unixSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

export function signWebhook(secret: string, body: Buffer | string, at: Date): string {
  const timestamp = unixSeconds(at);
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/** Whether `header` signs `body` under `secret` with a timestamp within the tolerance of `now`. */
export function verifyWebhookSignature(secret: string, header: string, body: Buffer | string, now: Date): boolean {
  const fields = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(fields.get('t'));
  const given = fields.get('v1') ?? '';
  if (!/^\d{1,12}$/.test(fields.get('t') ?? '') || Math.abs(unixSeconds(now) - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  // Compared as bytes: a value with non-ASCII characters may match in length but not in bytes.
  const givenBytes = Buffer.from(given, 'utf8');
  const expectedBytes = Buffer.from(hmac(secret, timestamp, body), 'utf8');
  return givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes);
}

/**
 * An endpoint's signing secret, derived from the program's key and the endpoint's id: it is
 * shown once when the endpoint is registered and never stored, in the database or in a workflow's
 * history. Rotating means registering a new endpoint.
 */
export function webhookEndpointSecret(signingKey: string, endpointId: string): string {
  return `whsec_${createHmac('sha256', signingKey).update(`webhook-endpoint:${endpointId}`).digest('base64url')}`;
}
