import { randomUUID } from 'node:crypto';
import { Client, Connection, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { newLicenseKey } from '../../lib/license-keys';
import type { PrismaClient } from '../../lib/database';
import {
  type LicenseKeyInput,
  licenseKeyIssuedUpdate,
  licenseKeyWorkflowId,
  resolveSupportIncidentUpdate,
  startSupportIncidentUpdate,
  SUPPORT_INCIDENT_NOT_IN_PROGRESS,
  type SupportIncidentInput,
  supportIncidentOpenedUpdate,
  supportIncidentWorkflowId,
} from '../../workflows/benefits/definitions';
import { licenseKeyWorkflow, supportIncidentWorkflow } from '../../workflows/benefits/workflow';
import { testPrisma } from '../support/fixtures';
import { maybeRecordHistory } from '../support/histories';
import { memberAt } from '../support/members';
import { type RunningTestWorker, startTestWorker } from '../support/temporal';

/** Update-with-start, as the API uses it, on the dev server (which takes it as a cluster does). */
describe('benefit uses: support incidents and license keys (Temporal dev server, real activities and Postgres)', () => {
  let prisma: PrismaClient;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let client: Client;
  let worker: RunningTestWorker;

  beforeAll(async () => {
    prisma = testPrisma();
    nativeConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    client = new Client({ connection });
    worker = await startTestWorker(nativeConnection, { prisma });
  });

  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await nativeConnection?.close();
    await prisma?.$disconnect();
  });

  /** Opens an incident as the API does: the workflow started and its opening answered in one call. */
  async function openIncident(partnerId: string) {
    const input: SupportIncidentInput = {
      incidentId: randomUUID(),
      partnerId,
      benefitCode: 'support-incidents-5',
      requestedBy: 'partner-key',
      subject: 'Replication stops after failover',
      description: 'The secondary stops applying the log after a planned failover.',
      product: 'SQL Server 2025',
    };
    const start = new WithStartWorkflowOperation(supportIncidentWorkflow, {
      workflowId: supportIncidentWorkflowId(partnerId, input.incidentId),
      taskQueue: worker.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const opening = await client.workflow.executeUpdateWithStart(supportIncidentOpenedUpdate, { startWorkflowOperation: start });
    return { input, opening, handle: await start.workflowHandle() };
  }

  const incidentUnits = (partnerId: string) =>
    prisma.entitlement.findFirstOrThrow({ where: { partnerId, benefitCode: 'support-incidents-5', source: 'level' } });

  it('opens an incident on one unit, takes it through in progress to resolved and tells the partner at each step', async () => {
    const partnerId = await memberAt(prisma, 'certified');
    const { input, opening, handle } = await openIncident(partnerId);
    expect(opening).toEqual({
      outcome: 'used',
      produced: expect.objectContaining({
        id: input.incidentId,
        status: 'open',
        benefitCode: 'support-incidents-5',
        openedBy: 'partner-key',
      }),
    });
    expect(await incidentUnits(partnerId)).toMatchObject({ quantity: 5, used: 1 });

    const early = await handle
      .executeUpdate(resolveSupportIncidentUpdate, { args: [{ actor: 'reviewer-key', resolution: 'Too soon' }] })
      .catch((error: unknown) => error);
    expect(early).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((early as WorkflowUpdateFailedError).cause).toMatchObject({ type: SUPPORT_INCIDENT_NOT_IN_PROGRESS });

    const started = await handle.executeUpdate(startSupportIncidentUpdate, { args: [{ actor: 'reviewer-key' }] });
    expect(started).toMatchObject({ status: 'in_progress', startedAt: expect.any(String), resolvedAt: null });
    const resolved = await handle.executeUpdate(resolveSupportIncidentUpdate, {
      args: [{ actor: 'reviewer-key', resolution: 'Apply cumulative update 3; the log applies again.' }],
    });
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'Apply cumulative update 3; the log applies again.' });
    expect(await handle.result()).toEqual({ incidentId: input.incidentId, status: 'resolved' });

    const { contactEmail } = await prisma.partner.findUniqueOrThrow({ where: { id: partnerId } });
    const notices = await prisma.notification.findMany({
      where: { partnerId, kind: { startsWith: 'support-incident' } },
      orderBy: { createdAt: 'asc' },
    });
    expect(notices.map((notice) => [notice.kind, notice.recipient, notice.sentAt !== null])).toEqual([
      ['support-incident-in-progress', contactEmail, true],
      ['support-incident-resolved', contactEmail, true],
    ]);
    expect(worker.mailer.sent.filter((message) => message.to === contactEmail).map((message) => message.subject)).toEqual([
      'Support incident in progress: Replication stops after failover',
      'Support incident resolved: Replication stops after failover',
    ]);
    const audit = await prisma.auditEvent.findMany({ where: { entityId: input.incidentId }, orderBy: { at: 'asc' } });
    expect(audit.map((event) => [event.action, event.actor])).toEqual([
      ['support_incident.opened', 'partner-key'],
      ['support_incident.started', 'reviewer-key'],
      ['support_incident.resolved', 'reviewer-key'],
    ]);
    expect(await incidentUnits(partnerId)).toMatchObject({ used: 1 });
    await maybeRecordHistory(handle, 'support-incident-resolved');
  });

  it('opens nothing and ends refused when every unit is used', async () => {
    const partnerId = await memberAt(prisma, 'certified');
    const units = await incidentUnits(partnerId);
    await prisma.entitlement.update({ where: { id: units.id }, data: { used: units.quantity! } });
    const { input, opening, handle } = await openIncident(partnerId);
    expect(opening).toEqual({ outcome: 'exhausted' });
    expect(await handle.result()).toEqual({ incidentId: input.incidentId, status: 'refused', refusal: 'exhausted' });
    expect(await prisma.supportIncident.count({ where: { partnerId } })).toBe(0);
    expect(await incidentUnits(partnerId)).toMatchObject({ used: 5 });
    await maybeRecordHistory(handle, 'support-incident-refused');
  });

  it('issues a license key on one unit, with its hash on record', async () => {
    const partnerId = await memberAt(prisma, 'certified');
    const key = newLicenseKey();
    const input: LicenseKeyInput = {
      licenseKeyId: randomUUID(),
      partnerId,
      benefitCode: 'demo-licenses',
      requestedBy: 'partner-key',
      keyHash: key.hash,
      lastChars: key.lastChars,
      note: 'Demo lab',
    };
    const start = new WithStartWorkflowOperation(licenseKeyWorkflow, {
      workflowId: licenseKeyWorkflowId(partnerId, input.licenseKeyId),
      taskQueue: worker.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const issue = await client.workflow.executeUpdateWithStart(licenseKeyIssuedUpdate, { startWorkflowOperation: start });
    expect(issue).toEqual({
      outcome: 'used',
      produced: expect.objectContaining({
        id: input.licenseKeyId,
        benefitCode: 'demo-licenses',
        keyHash: key.hash,
        lastChars: key.lastChars,
        note: 'Demo lab',
      }),
    });
    const handle = await start.workflowHandle();
    expect(await handle.result()).toEqual(issue);
    expect(await prisma.licenseKey.findUniqueOrThrow({ where: { id: input.licenseKeyId } })).toMatchObject({
      hash: key.hash,
      revokedAt: null,
    });
    expect(await prisma.entitlement.findFirstOrThrow({ where: { partnerId, benefitCode: 'demo-licenses' } })).toMatchObject({
      quantity: 5,
      used: 1,
    });
    await maybeRecordHistory(handle, 'license-key-issued');
  });
});
