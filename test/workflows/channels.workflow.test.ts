import { randomUUID } from 'node:crypto';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { PrismaClient } from '../../lib/database';
import {
  type ChannelOfferInput,
  channelOfferMessageUpdate,
  channelOfferPublishedUpdate,
  channelOfferWorkflowId,
} from '../../workflows/channels/definitions';
import { channelOfferWorkflow } from '../../workflows/channels/workflow';
import { eventually, testPrisma } from '../support/fixtures';
import { maybeRecordHistory } from '../support/histories';
import { memberAt } from '../support/members';
import { type RunningTestWorker, startTestWorker } from '../support/temporal';

/** Update-with-start and updates, as the API sends them, on the dev server with real activities and Postgres. */
describe('a channel offer: published, answered in threads, closed at its end', () => {
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

  async function publish(partnerId: string, validUntil: Date) {
    const input: ChannelOfferInput = {
      offerId: randomUUID(),
      partnerId,
      kind: 'reseller-wanted',
      description: 'Resellers wanted for our retail analytics suite',
      competencies: ['security'],
      countries: ['GB'],
      validUntil: validUntil.toISOString(),
      requestedBy: 'partner-key',
    };
    const start = new WithStartWorkflowOperation(channelOfferWorkflow, {
      workflowId: channelOfferWorkflowId(partnerId, input.offerId),
      taskQueue: worker.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const publication = await client.workflow.executeUpdateWithStart(channelOfferPublishedUpdate, { startWorkflowOperation: start });
    return { input, publication, handle: await start.workflowHandle() };
  }

  it('records each message once, tells the other side of its thread, and closes the offer when it ends', async () => {
    const [offerer, respondent] = [await memberAt(prisma, 'certified'), await memberAt(prisma, 'registered')];
    const { input, publication, handle } = await publish(offerer, new Date(Date.now() + 6_000));
    expect(publication).toEqual({ outcome: 'published', offer: expect.objectContaining({ id: input.offerId, status: 'open' }) });

    const answer = { messageId: randomUUID(), authorPartnerId: respondent, respondentId: respondent, body: 'We resell in London.' };
    const answered = await handle.executeUpdate(channelOfferMessageUpdate, { args: [answer], updateId: answer.messageId });
    expect(answered).toEqual({ outcome: 'recorded', message: expect.objectContaining({ id: answer.messageId, respondentId: respondent }) });
    // The same message again (an activity retry, a repeated request) is the same message.
    expect(await handle.executeUpdate(channelOfferMessageUpdate, { args: [answer] })).toEqual(answered);

    const stranger = randomUUID();
    expect(
      await handle.executeUpdate(channelOfferMessageUpdate, {
        args: [{ messageId: randomUUID(), authorPartnerId: offerer, respondentId: stranger, body: 'Hello?' }],
      }),
    ).toEqual({ outcome: 'no_such_thread' });
    const reply = { messageId: randomUUID(), authorPartnerId: offerer, respondentId: respondent, body: 'Let us talk.' };
    expect(await handle.executeUpdate(channelOfferMessageUpdate, { args: [reply] })).toMatchObject({ outcome: 'recorded' });

    expect(await handle.result()).toEqual({ offerId: input.offerId, status: 'closed' });
    expect(await prisma.channelOffer.findUniqueOrThrow({ where: { id: input.offerId } })).toMatchObject({
      status: 'closed',
      closedReason: 'expired',
    });
    expect(await prisma.channelOfferMessage.count({ where: { offerId: input.offerId } })).toBe(2);
    const notices = await eventually(async () => {
      const rows = await prisma.notification.findMany({
        where: { kind: 'channel-offer-message', partnerId: { in: [offerer, respondent] } },
      });
      return rows.length === 2 && rows;
    });
    expect(notices.map((notice) => notice.partnerId).sort()).toEqual([offerer, respondent].sort());
    await maybeRecordHistory(handle, 'channel-offer-answered-expired');
  });

  it('refuses an offer from a partner without the Channel Builder, and ends at once', async () => {
    const partnerId = await memberAt(prisma, 'registered');
    await prisma.entitlement.updateMany({
      where: { partnerId, benefitCode: 'partner-channel-builder' },
      data: { endedAt: new Date(), endReason: 'withdrawn' },
    });
    const { input, publication, handle } = await publish(partnerId, new Date(Date.now() + 60_000));
    expect(publication).toEqual({ outcome: 'channel_builder_not_held' });
    expect(await handle.result()).toEqual({ offerId: input.offerId, status: 'refused', refusal: 'channel_builder_not_held' });
    expect(await prisma.channelOffer.count({ where: { id: input.offerId } })).toBe(0);
    await maybeRecordHistory(handle, 'channel-offer-refused');
  });
});
