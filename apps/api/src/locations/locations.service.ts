import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { type LocationChange, officeChangeRefusal } from '#domain/locations';
import { uuidFromKey } from '#lib/ids';
import { type LocationView, partnerOffices } from '#queries/locations';
import { locationChangeWorkflowId } from '#workflows/locations/definitions';
import type { locationChangeWorkflow } from '#workflows/locations/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import { CatalogService } from '../catalog/catalog.service';
import type { Principal } from '../auth/principal';
import { ApiError, conflict, notFound } from '../common/api-error';
import { TemporalService } from '../temporal/temporal.module';
import type { IdempotentRequest } from '../common/idempotent';
import type { AddOfficeDto, UpdateOfficeDto } from './locations.dto';

/**
 * A partner's offices. Reads come from Postgres; every change runs through a location-change
 * workflow, whose activity checks the same rules (domain/locations.ts) in one locked transaction.
 */
@Injectable()
export class LocationsService {
  constructor(
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
    private readonly catalog: CatalogService,
  ) {}

  list(principal: Principal, partnerId: string): Promise<LocationView[]> {
    return this.offices(principal, partnerId);
  }

  async add(principal: Principal, partnerId: string, body: AddOfficeDto, idempotency: IdempotentRequest): Promise<LocationView> {
    const changeId = await idempotency.requestId();
    const locationId = uuidFromKey(`office|${partnerId}|${changeId}`);
    const after = await this.change(principal, partnerId, changeId, { kind: 'add', locationId, address: { ...body } });
    return after.find((office) => office.id === locationId)!;
  }

  async update(principal: Principal, partnerId: string, locationId: string, body: UpdateOfficeDto): Promise<LocationView> {
    const after = await this.change(principal, partnerId, randomUUID(), { kind: 'update', locationId, address: { ...body } });
    return after.find((office) => office.id === locationId)!;
  }

  remove(principal: Principal, partnerId: string, locationId: string): Promise<LocationView[]> {
    return this.change(principal, partnerId, randomUUID(), { kind: 'remove', locationId });
  }

  makePrimary(principal: Principal, partnerId: string, locationId: string): Promise<LocationView[]> {
    return this.change(principal, partnerId, randomUUID(), { kind: 'make-primary', locationId });
  }

  private offices(principal: Principal, partnerId: string): Promise<LocationView[]> {
    return this.access.requirePartner(principal, partnerId, partnerOffices);
  }

  /** Refuses at once what the office rules refuse; otherwise the change runs through its workflow. */
  private async change(principal: Principal, partnerId: string, changeId: string, change: LocationChange): Promise<LocationView[]> {
    const offices = await this.offices(principal, partnerId);
    // Only an addition can pass the office cap; the other changes need no catalog read.
    const officesPerPartner = change.kind === 'add' ? (await this.catalog.inForce()).rules.limits?.officesPerPartner : undefined;
    const refusal = officeChangeRefusal(offices, change, officesPerPartner);
    if (refusal?.code === 'unknown_office') throw notFound('Office');
    if (refusal?.code === 'primary_office' || refusal?.code === 'office_limit_reached') throw conflict(refusal.code, refusal.message);
    if (refusal?.code === 'country_mismatch') {
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, refusal.code, refusal.message, [
        { field: 'country', reason: `must be ${refusal.primaryCountry}, the primary office's country`, code: refusal.code },
      ]);
    }
    return this.temporal.execute<typeof locationChangeWorkflow>('locationChangeWorkflow', locationChangeWorkflowId(partnerId, changeId), [
      { changeId, partnerId, change, actor: principal.keyId },
    ]);
  }
}
