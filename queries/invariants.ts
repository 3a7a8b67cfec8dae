import { Prisma } from '../lib/database';
import type { DatabaseReader } from '../lib/database';
import { REVIEW_STATUS_AFTER } from '../domain/reviews';
import { OPEN_INVOICE_STATUSES } from './payments';

/**
 * What must hold over the whole database at any moment the processes are settled: the books,
 * the ledger, memberships, reviews, consolidations and the audit trail. Each check is one SQL
 * query answering its violations; `npm run verify` runs them on a live system and the tests
 * break each one on purpose.
 */
export interface Violation {
  invariant: string;
  /** The partner the violation is about, when it is about one. */
  partnerId: string | null;
  /** The row at fault: `<table>:<id>`. */
  subject: string;
  detail: string;
}

export interface Invariant {
  name: string;
  /** What holds, in a sentence an operator reads in the report. */
  holds: string;
  /** Answers `partner_id`, `subject` and `detail` for every row that breaks it. */
  sql: Prisma.Sql;
}

/** Statuses of the processes a consolidated partner can no longer have running, per table. */
const OPEN_PROCESSES: Array<{ table: string; statuses: string[] }> = [
  { table: 'Enrollment', statuses: ['submitted', 'in_review', 'awaiting_payment'] },
  { table: 'ReviewTask', statuses: ['pending'] },
  { table: 'Invoice', statuses: OPEN_INVOICE_STATUSES },
  { table: 'UpgradeRequest', statuses: ['checking', 'in_review', 'approved_payment_pending'] },
  { table: 'Evidence', statuses: ['pending_review'] },
  { table: 'PartnerCompetency', statuses: ['verifying', 'awaiting-evidence', 'in-review'] },
  { table: 'PartnerDesignation', statuses: ['in-review'] },
  { table: 'SupportIncident', statuses: ['open', 'in_progress'] },
  { table: 'BenefitPurchase', statuses: ['invoicing'] },
];

/** Each decision and the status it gives a task, as SQL rows. */
const DECISION_STATUSES = Prisma.join(
  Object.entries(REVIEW_STATUS_AFTER).map(([decision, status]) => Prisma.sql`(${decision}::text, ${status}::text)`),
);

/** Memberships that still run a term: a partner that left the program has none. */
const OPEN_MEMBERSHIP = ['active', 'renewal_open', 'awaiting_payment', 'grace'];

/**
 * Tables whose status changes are audited: every row past the statuses it can be created with
 * has an audit event naming its current status (in `after.status`, or as the action's verb).
 */
const AUDITED_STATUSES: Array<{ table: string; entityType: string; createdAs: string[] }> = [
  { table: 'Partner', entityType: 'partner', createdAs: ['pending', 'rejected'] },
  { table: 'Enrollment', entityType: 'enrollment', createdAs: [] },
  { table: 'ReviewTask', entityType: 'review', createdAs: ['pending'] },
  { table: 'Invoice', entityType: 'invoice', createdAs: ['open'] },
  { table: 'UpgradeRequest', entityType: 'upgrade', createdAs: [] },
  { table: 'PartnerCompetency', entityType: 'competency', createdAs: [] },
  { table: 'PartnerDesignation', entityType: 'designation', createdAs: [] },
  { table: 'Evidence', entityType: 'evidence', createdAs: [] },
  { table: 'Consolidation', entityType: 'consolidation', createdAs: [] },
  { table: 'SupportIncident', entityType: 'support_incident', createdAs: ['open'] },
  { table: 'Membership', entityType: 'membership', createdAs: ['active'] },
];

const quoted = (identifier: string) => Prisma.raw(`"${identifier}"`);
const list = (values: string[]) => (values.length ? Prisma.join(values) : Prisma.sql`NULL`);
/** The membership table is keyed by partner; every other table has its own id and names a partner (a consolidation, the absorbed one). */
const idColumn = (table: string) => quoted(table === 'Membership' ? 'partnerId' : 'id');
const PARTNER_COLUMNS: Record<string, string> = { Partner: 'id', Consolidation: 'absorbedId' };
const partnerColumn = (table: string) => quoted(PARTNER_COLUMNS[table] ?? 'partnerId');

export const INVARIANTS: Invariant[] = [
  {
    name: 'unique-keys-in-place',
    holds: 'The unique keys that make one invoice per fee workflow and one payment per processor payment id exist.',
    sql: Prisma.sql`
      SELECT NULL::uuid AS partner_id, 'index:' || wanted.name AS subject, 'missing unique index ' || wanted.name AS detail
      FROM (VALUES ('Invoice_workflowId_key'), ('Payment_provider_externalId_key')) AS wanted(name)
      WHERE NOT EXISTS (SELECT 1 FROM pg_indexes i WHERE i.indexname = wanted.name AND i.indexdef LIKE 'CREATE UNIQUE INDEX%')`,
  },
  {
    name: 'one-live-invoice-per-subject',
    holds:
      'An enrollment, upgrade or purchase has at most one invoice that is not void, and a membership at most one unpaid renewal invoice.',
    sql: Prisma.sql`
      SELECT "partnerId" AS partner_id, 'invoice:' || min(id::text) AS subject,
             count(*) || ' live ' || purpose || ' invoices for ' || "subjectId" AS detail
      FROM "Invoice"
      WHERE (purpose <> 'renewal' AND status <> 'void') OR (purpose = 'renewal' AND status IN (${list(OPEN_INVOICE_STATUSES)}))
      GROUP BY "partnerId", purpose, "subjectId"
      HAVING count(*) > 1`,
  },
  {
    name: 'one-payment-per-processor-event',
    holds: 'Each processor event recorded at most one payment or refund.',
    sql: Prisma.sql`
      SELECT min(i."partnerId"::text)::uuid AS partner_id, 'payment:' || min(p.id::text) AS subject,
             count(*) || ' payments recorded by ' || p."workflowId" AS detail
      FROM "Payment" p LEFT JOIN "Invoice" i ON i.id = p."invoiceId"
      WHERE p.provider = 'processor'
      GROUP BY p."workflowId"
      HAVING count(*) > 1`,
  },
  {
    name: 'invoice-paid-equals-payments',
    holds: 'An invoice’s paid amount equals the payments applied to it less what was returned of them.',
    sql: Prisma.sql`
      WITH counted AS (
        SELECT p."invoiceId" AS invoice_id,
               p."amountMinor"
               - COALESCE((SELECT sum(r."amountMinor") FROM "RefundOrder" r WHERE r."paymentId" = p.id AND r.status = 'booked'), 0)
               - COALESCE((SELECT sum(q."amountMinor") FROM "Payment" q
                           WHERE q.kind = 'refund' AND q.status = 'applied'
                             AND q.provider = p.provider AND q."refundsExternalId" = p."externalId"), 0) AS net
        FROM "Payment" p
        WHERE p.kind = 'payment' AND p.status IN ('applied', 'refunded') AND p."invoiceId" IS NOT NULL
      )
      SELECT i."partnerId" AS partner_id, 'invoice:' || i.id AS subject,
             'paid ' || i."paidMinor" || ' but its payments net ' || COALESCE(sum(c.net), 0) AS detail
      FROM "Invoice" i LEFT JOIN counted c ON c.invoice_id = i.id
      GROUP BY i.id
      HAVING i."paidMinor" <> COALESCE(sum(c.net), 0)`,
  },
  {
    name: 'refund-has-its-payment',
    holds: 'Every refund order and every processor refund returns a payment on record, for no more than it was.',
    sql: Prisma.sql`
      SELECT NULL::uuid AS partner_id, 'refund_order:' || r.id AS subject, 'refunds unknown payment ' || r."paymentId" AS detail
      FROM "RefundOrder" r WHERE NOT EXISTS (SELECT 1 FROM "Payment" p WHERE p.id = r."paymentId")
      UNION ALL
      SELECT i."partnerId", 'payment:' || q.id, 'refund of ' || q."refundsExternalId" || ', which is not on record'
      FROM "Payment" q LEFT JOIN "Invoice" i ON i.id = q."invoiceId"
      WHERE q.kind = 'refund' AND q.status = 'applied'
        AND NOT EXISTS (SELECT 1 FROM "Payment" p WHERE p.kind = 'payment' AND p.provider = q.provider AND p."externalId" = q."refundsExternalId")
      UNION ALL
      SELECT i."partnerId", 'payment:' || p.id, 'returned ' || sum(r."amountMinor") || ' of ' || p."amountMinor"
      FROM "Payment" p JOIN "RefundOrder" r ON r."paymentId" = p.id LEFT JOIN "Invoice" i ON i.id = p."invoiceId"
      GROUP BY p.id, i."partnerId"
      HAVING sum(r."amountMinor") > p."amountMinor"`,
  },
  {
    name: 'partner-level-is-term-level',
    holds: 'An active partner holds the level of its current membership term.',
    sql: Prisma.sql`
      SELECT p.id AS partner_id, 'partner:' || p.id AS subject,
             'level ' || p.level || ' but term ' || m."termNumber" || ' is ' || m.level AS detail
      FROM "Partner" p JOIN "Membership" m ON m."partnerId" = p.id
      WHERE p.status = 'active' AND m.status IN (${list(OPEN_MEMBERSHIP)}) AND p.level <> m.level`,
  },
  {
    name: 'one-open-membership-per-active-partner',
    holds: 'Every active partner has one membership running a term, and a partner that left the program has none.',
    sql: Prisma.sql`
      SELECT p.id AS partner_id, 'partner:' || p.id AS subject,
             CASE WHEN p.status = 'active' THEN 'active with membership ' || COALESCE(m.status, 'missing')
                  ELSE p.status || ' with membership ' || m.status END AS detail
      FROM "Partner" p LEFT JOIN "Membership" m ON m."partnerId" = p.id
      WHERE (p.status = 'active' AND (m.status IS NULL OR m.status NOT IN (${list(OPEN_MEMBERSHIP)})))
         OR (p.status IN ('withdrawn', 'lapsed', 'consolidated', 'rejected') AND m.status IN (${list(OPEN_MEMBERSHIP)}))`,
  },
  {
    name: 'ledger-entries-chain',
    holds: 'Awards and incoming transfers stand alone; corrections, expiries and outgoing transfers amend an entry of the same partner.',
    sql: Prisma.sql`
      SELECT e."partnerId" AS partner_id, 'point_entry:' || e.id AS subject,
             CASE WHEN e."correctsEntryId" IS NULL THEN e.kind || ' amends nothing'
                  WHEN parent.id IS NULL THEN e.kind || ' amends unknown entry ' || e."correctsEntryId"
                  WHEN parent."correctsEntryId" IS NOT NULL THEN e.kind || ' amends an amendment'
                  ELSE e.kind || ' amends another partner''s entry' END AS detail
      FROM "PointEntry" e LEFT JOIN "PointEntry" parent ON parent.id = e."correctsEntryId"
      WHERE (e.kind IN ('correction', 'expiry') AND e."correctsEntryId" IS NULL)
         OR (e.kind = 'award' AND e."correctsEntryId" IS NOT NULL)
         OR (e."correctsEntryId" IS NOT NULL
             AND (parent.id IS NULL OR parent."correctsEntryId" IS NOT NULL OR parent."partnerId" <> e."partnerId"))`,
  },
  {
    name: 'ledger-entries-not-negative',
    holds:
      'No entry is taken below zero: an award or incoming transfer plus its corrections, expiries and transfers out is at least 0, and no award is negative.',
    sql: Prisma.sql`
      SELECT e."partnerId" AS partner_id, 'point_entry:' || e.id AS subject,
             e.kind || ' of ' || e.points || ' stands at ' || (e.points + COALESCE(sum(a.points), 0)) AS detail
      FROM "PointEntry" e LEFT JOIN "PointEntry" a ON a."correctsEntryId" = e.id
      WHERE e."correctsEntryId" IS NULL
      GROUP BY e.id
      HAVING e.points < 0 OR e.points + COALESCE(sum(a.points), 0) < 0`,
  },
  {
    name: 'ledger-transfers-balance',
    holds: 'A consolidation moves points without making or losing any: its transfers sum to 0.',
    sql: Prisma.sql`
      SELECT c."survivorId" AS partner_id, 'consolidation:' || t.consolidation_id AS subject,
             'transfers sum to ' || t.total AS detail
      FROM (
        SELECT split_part("dedupeKey", ':', 2) AS consolidation_id, sum(points) AS total
        FROM "PointEntry" WHERE kind = 'transfer' GROUP BY 1
      ) t LEFT JOIN "Consolidation" c ON c.id::text = t.consolidation_id
      WHERE t.total <> 0`,
  },
  {
    name: 'one-decision-per-decided-review',
    holds: 'A decided review has its decision, decider and time and exactly one decision event; an open one has none.',
    sql: Prisma.sql`
      SELECT t."partnerId" AS partner_id, 'review_task:' || t.id AS subject,
             t.status || ' with decision ' || COALESCE(t.decision, 'none') || ', ' || events.count || ' decision events' AS detail
      FROM "ReviewTask" t
      CROSS JOIN LATERAL (
        SELECT count(*) AS count FROM "AuditEvent" a
        WHERE a."entityType" = 'review' AND a."entityId" = t.id::text AND a.action = 'review.decided'
      ) events
      LEFT JOIN (VALUES ${DECISION_STATUSES}) AS decided(decision, status) ON decided.decision = t.decision
      WHERE CASE
        WHEN t.status IN (SELECT status FROM (VALUES ${DECISION_STATUSES}) AS all_decided(decision, status)) THEN
          t."decidedBy" IS NULL OR t."decidedAt" IS NULL OR decided.status IS DISTINCT FROM t.status OR events.count <> 1
        ELSE t.decision IS NOT NULL OR t."decidedBy" IS NOT NULL OR events.count > 0
      END`,
  },
  {
    name: 'consolidated-partner-has-no-open-process',
    holds:
      'A partner absorbed by another has nothing left running: no enrollment, review, invoice, upgrade, evidence, verification, incident or purchase open.',
    sql: Prisma.join(
      OPEN_PROCESSES.map(
        ({ table, statuses }) => Prisma.sql`
          SELECT x."partnerId" AS partner_id, ${table.toLowerCase()}::text || ':' || x.id AS subject,
                 ${table}::text || ' still ' || x.status || ' after consolidation' AS detail
          FROM ${quoted(table)} x JOIN "Partner" p ON p.id = x."partnerId"
          WHERE p.status = 'consolidated' AND x.status IN (${list(statuses)})`,
      ),
      ' UNION ALL ',
    ),
  },
  {
    name: 'status-changes-audited',
    holds: 'Every status a row reached after its creation has an audit event saying so.',
    sql: Prisma.join(
      AUDITED_STATUSES.map(
        ({ table, entityType, createdAs }) => Prisma.sql`
          SELECT x.${partnerColumn(table)} AS partner_id, ${entityType}::text || ':' || x.${idColumn(table)} AS subject,
                 ${entityType}::text || ' is ' || x.status || ' with no audit event saying so' AS detail
          FROM ${quoted(table)} x
          WHERE x.status NOT IN (${list(createdAs)})
            AND NOT EXISTS (
              SELECT 1 FROM "AuditEvent" a
              WHERE a."entityType" = ${entityType} AND a."entityId" = x.${idColumn(table)}::text
                AND (a.after ->> 'status' = x.status OR a.action = ${entityType}::text || '.' || x.status))`,
      ),
      ' UNION ALL ',
    ),
  },
];

export interface InvariantReport {
  checked: string[];
  violations: Violation[];
}

/**
 * Runs every check (or those named), over the whole database or only the rows of some partners
 * (a test's own, an operator's question about one partner).
 */
export async function checkInvariants(
  db: DatabaseReader,
  options: { partnerIds?: string[]; only?: string[] } = {},
): Promise<InvariantReport> {
  const chosen = INVARIANTS.filter((invariant) => !options.only || options.only.includes(invariant.name));
  const scope = options.partnerIds ?? null;
  const violations: Violation[] = [];
  // One after the other: a report on a live system should not take a pool's every connection.
  for (const invariant of chosen) {
    const rows = await db.$queryRaw<Array<{ partner_id: string | null; subject: string; detail: string }>>`
      SELECT partner_id::text, subject, detail FROM (${invariant.sql}) AS found
      WHERE ${scope}::uuid[] IS NULL OR found.partner_id = ANY(${scope}::uuid[])
      ORDER BY subject`;
    violations.push(
      ...rows.map((row) => ({ invariant: invariant.name, partnerId: row.partner_id, subject: row.subject, detail: row.detail })),
    );
  }
  return { checked: chosen.map((invariant) => invariant.name), violations };
}
