import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { CatalogDocument } from '../../domain/catalog';
import type { CatalogBenefitView, CatalogView } from '../../queries/catalog';
import { useApiHarness } from '../support/api';

const CATALOG_DIR = join(__dirname, '../../prisma/catalog');
const published: CatalogDocument[] = readdirSync(CATALOG_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(join(CATALOG_DIR, file), 'utf8')) as CatalogDocument);
const inForceNow = (): CatalogDocument =>
  published.filter((doc) => new Date(doc.effectiveFrom) <= new Date()).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];

type Schema = Record<string, unknown>;
const byCode = <T extends { code: string }>(items: T[]): T[] => [...items].sort((a, b) => a.code.localeCompare(b.code));

/**
 * The document's components as JSON Schema, with every object schema closed: a response field the
 * document does not name fails validation, so "full schemas" means every field the catalog
 * carries is stated. OpenAPI 3.0's `nullable` becomes "null, or the schema", as schemathesis reads it.
 */
function closedComponents(components: Record<string, Schema>): Record<string, Schema> {
  const close = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(close);
    if (!node || typeof node !== 'object') return node;
    const { nullable, ...schema } = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, close(value)])) as Schema;
    if (schema.properties && !('additionalProperties' in schema)) schema.additionalProperties = false;
    return nullable === true ? { anyOf: [{ type: 'null' }, schema] } : schema;
  };
  return close(components) as Record<string, Schema>;
}

/** Paths in a schema to a property that states neither a type nor a reference: a hole in the document. */
function untypedProperties(components: Record<string, Schema>): string[] {
  const holes: string[] = [];
  for (const [name, schema] of Object.entries(components)) {
    for (const [property, value] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      const typed = ['type', '$ref', 'allOf', 'oneOf', 'anyOf', 'enum'].some((key) => key in value);
      const itemsTyped = value.type !== 'array' || ['type', '$ref', 'enum'].some((key) => key in ((value.items ?? {}) as Schema));
      if (!typed || !itemsTyped) holes.push(`${name}.${property}`);
    }
  }
  return holes;
}

describe('the program catalog, public and complete', () => {
  const harness = useApiHarness();

  it('answers the version in force to anyone: every level, fee, point source, competency, designation and benefit of the published file', async () => {
    const expected = inForceNow();
    const { body, headers } = await harness.http.get('/v1/catalog').expect(200);
    expect(headers['cache-control']).toBe('public, max-age=60');
    expect(body).toMatchObject({ id: expected.id, inForce: true, description: expected.description, rules: expected.rules });
    expect(new Date(body.effectiveFrom).toISOString()).toBe(new Date(expected.effectiveFrom).toISOString());
    expect(body.levels).toEqual(expected.levels);
    expect(body.competencies).toEqual(byCode(expected.competencies));
    expect(body.pointSources).toEqual(byCode(expected.pointSources));
    expect(body.designations).toEqual(byCode(expected.designations ?? []));
    const listed = (body.benefitStages as Array<{ stage: string; benefits: Array<{ code: string }> }>).flatMap(({ stage, benefits }) =>
      benefits.map(({ code }) => `${stage}:${code}`),
    );
    expect(listed.sort()).toEqual(expected.benefits.map(({ stage, code }) => `${stage}:${code}`).sort());
  });

  it('prices every optional benefit per level that may buy it and per competency that saves on it, as the catalog states', async () => {
    const expected = inForceNow();
    const { body } = await harness.http.get('/v1/catalog').expect(200);
    const benefits = (body as CatalogView).benefitStages.flatMap((stage): CatalogBenefitView[] => stage.benefits);
    const optional = expected.benefits.filter((benefit) => benefit.optional && benefit.price);
    expect(optional.length).toBeGreaterThan(0);
    for (const source of optional) {
      const pricing = benefits.find((benefit) => benefit.code === source.code)!.pricing!;
      expect(pricing.listPrice).toEqual(source.price);
      expect(pricing.proration).toBe(expected.rules.benefits?.purchaseProration ?? 'none');
      expect(pricing.levelPrices.map((price) => price.level)).toEqual(source.levels);
      for (const price of pricing.levelPrices) {
        const member = source.memberPrices?.[price.level] ?? source.price!.amountMinor;
        expect(price.memberMinor).toBe(member);
        for (const { competency, discountBps, amountMinor } of price.competencyPrices) {
          const best = Math.max(
            ...(source.competencyDiscounts ?? [])
              .filter((discount) => discount.competencies.includes(competency))
              .map((d) => d.discountBps),
          );
          expect(discountBps).toBe(best);
          expect(amountMinor).toBe(Math.round((member * (10000 - best)) / 10000));
        }
      }
    }
    // Member savings are real: some level pays less than the list price, and some competency less again.
    const prices = benefits.flatMap((benefit) => benefit.pricing?.levelPrices ?? []);
    expect(prices.some((price) => price.competencyPrices.some((competency) => competency.amountMinor < price.memberMinor))).toBe(true);
    const included = benefits.filter((benefit) => !benefit.optional);
    expect(included.every((benefit) => benefit.pricing === null)).toBe(true);
  });

  it('answers 304 to a client holding the ETag, and a named version with its own ETag', async () => {
    const first = await harness.http.get('/v1/catalog').expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    const unchanged = await harness.http.get('/v1/catalog').set('If-None-Match', etag).expect(304);
    expect(unchanged.text ?? '').toBe('');
    const older = published.find((doc) => doc.id !== first.body.id)!;
    const named = await harness.http.get(`/v1/catalog?version=${older.id}`).expect(200);
    expect(named.body).toMatchObject({ id: older.id, inForce: false, levels: older.levels });
    expect(named.headers.etag).not.toBe(etag);
    expect(named.headers['cache-control']).toBe('public, max-age=3600');
    await harness.http.get(`/v1/catalog?version=${older.id}`).set('If-None-Match', etag).expect(200);
  });

  it('refuses a version id that is malformed (400) or never published (404)', async () => {
    const malformed = await harness.http.get('/v1/catalog?version=../2026').expect(400);
    expect(malformed.body.fields).toEqual([expect.objectContaining({ field: 'version' })]);
    expect((await harness.http.get('/v1/catalog?version=1999.1').expect(404)).body.code).toBe('not_found');
  });

  it('is described in the OpenAPI document with full schemas that every published version fits, field for field', async () => {
    const document = (await harness.http.get('/docs-json').expect(200)).body;
    const operation = document.paths['/v1/catalog'].get;
    expect(operation.security).toBeUndefined();
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '304', '400', '404', '429', '503']);
    const components = closedComponents(document.components.schemas);
    const reachable = Object.fromEntries(
      Object.entries(components).filter(([name]) =>
        /^(Catalog|Level|Program|Point|Benefit|PerLevel|Competency(Price|Requirements)|Designation(AnyOf|Requirements))/.test(name),
      ),
    );
    expect(untypedProperties(reachable)).toEqual([]);
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ components: { schemas: components } }, 'openapi');
    const validate = ajv.compile({ $ref: 'openapi#/components/schemas/CatalogDto' });
    for (const doc of published) {
      const { body } = await harness.http.get(`/v1/catalog?version=${doc.id}`).expect(200);
      expect({ version: doc.id, valid: validate(body), errors: validate.errors ?? [] }).toEqual({
        version: doc.id,
        valid: true,
        errors: [],
      });
    }
  });
});
