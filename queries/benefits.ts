import { type EntitlementState, entitlementState } from '../domain/benefits';
import type { DatabaseReader } from '../lib/database';

export interface LicenseKeyView {
  id: string;
  /** The key's last characters; the key itself was shown once, when it was issued. */
  lastChars: string;
  issuedAt: string;
  revokedAt: string | null;
}

export interface EntitlementView {
  id: string;
  benefitCode: string;
  name: string;
  stage: string;
  kind: string;
  source: string;
  /** The competency or designation it comes from, or the purchase id; null for the level. */
  sourceRef: string | null;
  quantity: number | null;
  used: number;
  remaining: number | null;
  state: EntitlementState;
  validFrom: string;
  validUntil: string;
  /** Online access continues until then once the term has ended unpaid, unless the membership ends first. */
  graceUntil: string | null;
  endedAt: string | null;
  endReason: string | null;
  licenseKeys?: LicenseKeyView[];
}

export interface BenefitsView {
  partnerId: string;
  /** The current (or last) membership term; null before the partner's membership started. */
  termNumber: number | null;
  termStart: string | null;
  termEnd: string | null;
  membershipStatus: string | null;
  asOf: string;
  entitlements: EntitlementView[];
}

const iso = (at: Date | null) => (at ? at.toISOString() : null);

/**
 * Every entitlement of the partner's membership term in force at `asOf`, with what is used and
 * left and the license keys issued from it (masked). A renewal paid early puts the next term on
 * the membership at once, to start at the current end; until then the current term is the one
 * before it. Four queries whatever the number of entitlements.
 */
export async function benefitsOf(db: DatabaseReader, partnerId: string, asOf: Date, stage?: string): Promise<BenefitsView> {
  const membership = await db.membership.findUnique({
    where: { partnerId },
    select: { termNumber: true, termStart: true, termEnd: true, status: true },
  });
  if (!membership) {
    return {
      partnerId,
      termNumber: null,
      termStart: null,
      termEnd: null,
      membershipStatus: null,
      asOf: asOf.toISOString(),
      entitlements: [],
    };
  }
  const renewedAhead = asOf < membership.termStart && membership.termNumber > 1;
  const termNumber = renewedAhead ? membership.termNumber - 1 : membership.termNumber;
  const rows = await db.entitlement.findMany({
    where: { partnerId, termNumber },
    orderBy: [{ stage: 'asc' }, { benefitCode: 'asc' }, { source: 'asc' }, { sourceRef: 'asc' }],
  });
  const term = renewedAhead
    ? {
        termStart: rows.length ? new Date(Math.min(...rows.map((row) => row.validFrom.getTime()))) : null,
        termEnd: membership.termStart,
      }
    : membership;
  const view: BenefitsView = {
    partnerId,
    termNumber,
    termStart: iso(term.termStart),
    termEnd: iso(term.termEnd),
    membershipStatus: membership.status,
    asOf: asOf.toISOString(),
    entitlements: [],
  };
  const shown = stage ? rows.filter((row) => row.stage === stage) : rows;
  if (!shown.length) return view;
  const [benefits, keys] = await Promise.all([
    db.benefit.findMany({
      where: { OR: [...new Set(shown.map((row) => row.catalogVersionId))].map((catalogVersionId) => ({ catalogVersionId })) },
      select: { catalogVersionId: true, code: true, name: true },
    }),
    db.licenseKey.findMany({
      where: { entitlementId: { in: shown.filter((row) => row.kind === 'license').map((row) => row.id) } },
      orderBy: [{ issuedAt: 'asc' }, { id: 'asc' }],
    }),
  ]);
  const names = new Map(benefits.map((benefit) => [`${benefit.catalogVersionId}|${benefit.code}`, benefit.name]));
  view.entitlements = shown.map((row): EntitlementView => ({
    id: row.id,
    benefitCode: row.benefitCode,
    name: names.get(`${row.catalogVersionId}|${row.benefitCode}`) ?? row.benefitCode,
    stage: row.stage,
    kind: row.kind,
    source: row.source,
    sourceRef: row.sourceRef || null,
    quantity: row.quantity,
    used: row.used,
    remaining: row.quantity === null ? null : Math.max(0, row.quantity - row.used),
    state: entitlementState(row, asOf),
    validFrom: row.validFrom.toISOString(),
    validUntil: row.validUntil.toISOString(),
    graceUntil: iso(row.graceUntil),
    endedAt: iso(row.endedAt),
    endReason: row.endReason,
    ...(row.kind === 'license'
      ? {
          licenseKeys: keys
            .filter((key) => key.entitlementId === row.id)
            .map((key) => ({ id: key.id, lastChars: key.lastChars, issuedAt: key.issuedAt.toISOString(), revokedAt: iso(key.revokedAt) })),
        }
      : {}),
  }));
  return view;
}
