import { type DirectoryFacts, directoryRows, listingKeys } from '../../domain/directory';

const facts: DirectoryFacts = {
  partnerId: '6f1c3a52-8d1e-4f7a-9b1a-2c3d4e5f6a7b',
  name: 'Contoso Ltd',
  status: 'active',
  level: 'gold',
  listed: true,
  description: 'Cloud migration',
  website: 'https://contoso.example',
  industries: ['retail'],
  customerSizes: ['enterprise'],
  technologies: ['azure'],
  languages: ['en'],
  serviceAreas: ['FR', 'DE-BY'],
  offices: [
    { city: 'Springfield', country: 'US' },
    { city: 'Dublin', country: 'IE' },
    { city: 'Springfield', country: 'IE' },
  ],
  competencies: [{ code: 'security', name: 'Security' }],
  designations: [],
  listedLevels: ['certified', 'gold'],
  levelRank: 3,
};

describe('the directory keys of a partner’s listing rows', () => {
  const rows = directoryRows(facts);
  const keys = listingKeys(rows);

  it('names every filter value of a row as kind:value, what the partner is apart from where the row is', () => {
    expect(rows.map((row) => row.country)).toEqual(['US', 'IE', 'FR', 'DE']);
    expect(
      keys.every((row) => row.facetKeys.join() === 'competency:security,industry:retail,customerSize:enterprise,technology:azure'),
    ).toBe(true);
    expect(keys.map((row) => row.placeKeys)).toEqual([
      ['country:US', 'city:Springfield'],
      ['country:IE', 'city:Dublin', 'city:Springfield'],
      ['country:FR'],
      ['country:DE', 'region:DE-BY'],
    ]);
  });

  it('gives the first row alone every row’s place keys, each once, so a search without a locale counts one row per partner', () => {
    expect(keys[0].partnerPlaceKeys).toEqual([
      'country:US',
      'city:Springfield',
      'country:IE',
      'city:Dublin',
      'country:FR',
      'country:DE',
      'region:DE-BY',
    ]);
    expect(keys.slice(1).map((row) => row.partnerPlaceKeys)).toEqual([[], [], []]);
  });

  it('keeps the first rows of several partners written together apart', () => {
    const other = directoryRows({
      ...facts,
      partnerId: '0b8f0e1a-3c2d-4e5f-8a9b-1c2d3e4f5a6b',
      offices: [{ city: 'Lyon', country: 'FR' }],
      serviceAreas: [],
    });
    const together = listingKeys([...rows, ...other]);
    expect(together.map((row) => row.partnerPlaceKeys.length > 0)).toEqual([true, false, false, false, true]);
    expect(together[4].partnerPlaceKeys).toEqual(['country:FR', 'city:Lyon']);
  });
});
