import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { activeOffices } from '../../../../lib/locations';
import { uuidFromKey } from '../../../../lib/ids';
import { type LocationChange, locationChangeWorkflowId, type LocationView } from '../../../../workflows/locations/definitions';
import type { locationChangeWorkflow } from '../../../../workflows/locations/workflow';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { ApiError, conflict, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { AddOfficeDto, UpdateOfficeDto } from './locations.dto';

/**
 * A partner's offices. Reads come from Postgres; every change runs through a location-change
 * workflow, whose activity re-checks these rules in one locked transaction.
 */
@Injectable()
export class LocationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
  ) {}

  async list(principal: Principal, partnerId: string): Promise<LocationView[]> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    await this.partner(partnerId);
    return activeOffices(this.prisma, partnerId);
  }

  async add(principal: Principal, partnerId: string, body: AddOfficeDto, idempotencyKey?: string): Promise<LocationView> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const offices = await this.offices(partnerId);
    this.assertSameCountry(offices, body.country);
    const changeId = idempotencyKey ? uuidFromKey(`location|${partnerId}|${idempotencyKey}`) : randomUUID();
    const locationId = uuidFromKey(`office|${partnerId}|${changeId}`);
    const after = await this.change(principal, partnerId, changeId, { kind: 'add', locationId, address: { ...body } });
    return after.find((office) => office.id === locationId)!;
  }

  async update(principal: Principal, partnerId: string, locationId: string, body: UpdateOfficeDto): Promise<LocationView> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const offices = await this.offices(partnerId);
    const office = this.office(offices, locationId);
    if (body.country && !(office.isPrimary && offices.length === 1)) this.assertSameCountry(offices, body.country);
    const after = await this.change(principal, partnerId, randomUUID(), { kind: 'update', locationId, address: { ...body } });
    return after.find((candidate) => candidate.id === locationId)!;
  }

  async remove(principal: Principal, partnerId: string, locationId: string): Promise<LocationView[]> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const office = this.office(await this.offices(partnerId), locationId);
    if (office.isPrimary) throw conflict('primary_office', 'The primary office cannot be removed; make another office primary first');
    return this.change(principal, partnerId, randomUUID(), { kind: 'remove', locationId });
  }

  async makePrimary(principal: Principal, partnerId: string, locationId: string): Promise<LocationView[]> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    this.office(await this.offices(partnerId), locationId);
    return this.change(principal, partnerId, randomUUID(), { kind: 'make-primary', locationId });
  }

  private change(principal: Principal, partnerId: string, changeId: string, change: LocationChange): Promise<LocationView[]> {
    return this.temporal.client.workflow.execute<typeof locationChangeWorkflow>('locationChangeWorkflow', {
      workflowId: locationChangeWorkflowId(partnerId, changeId),
      taskQueue: this.temporal.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ changeId, partnerId, change, actor: principal.keyId }],
    });
  }

  private async partner(partnerId: string): Promise<void> {
    if (!(await this.prisma.partner.findUnique({ where: { id: partnerId }, select: { id: true } }))) throw notFound('Partner');
  }

  private async offices(partnerId: string): Promise<LocationView[]> {
    await this.partner(partnerId);
    return activeOffices(this.prisma, partnerId);
  }

  private office(offices: LocationView[], locationId: string): LocationView {
    const office = offices.find((candidate) => candidate.id === locationId);
    if (!office) throw notFound('Office');
    return office;
  }

  /** One fee per organization and country: every office is in the primary office's country. */
  private assertSameCountry(offices: LocationView[], country: string): void {
    const primary = offices.find((office) => office.isPrimary);
    if (primary && primary.country !== country) {
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'country_mismatch',
        `Offices consolidate within one country; the primary office is in ${primary.country}`,
        [{ field: 'country', reason: `must be ${primary.country}, the primary office's country`, code: 'country_mismatch' }],
      );
    }
  }
}
