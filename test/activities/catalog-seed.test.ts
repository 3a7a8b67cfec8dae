import { readCatalogDocuments, seedCatalog } from '../../prisma/seed';
import { testPrisma } from '../support/fixtures';
import { createIsolatedDatabase } from '../support/isolated-database';

describe('publishing the program catalog (real Postgres)', () => {
  it('publishes each version once, and refuses a published version whose file changed', async () => {
    const prisma = testPrisma(await createIsolatedDatabase());
    try {
      const documents = readCatalogDocuments();
      expect(await seedCatalog(prisma, documents)).toEqual([]);

      const edited = structuredClone(documents[0]);
      edited.levels.find((level) => level.code === 'certified')!.minPoints = 40;
      await expect(seedCatalog(prisma, [edited])).rejects.toThrow(`Catalog ${edited.id} is published and its file has changed since`);
      const certified = await prisma.level.findUniqueOrThrow({
        where: { catalogVersionId_code: { catalogVersionId: edited.id, code: 'certified' } },
      });
      expect(certified.minPoints).toBe(50);
    } finally {
      await prisma.$disconnect();
    }
  });
});
