import { competencyLines, escapeXml, type LogoBadge, renderPartnerLogo } from '../../domain/logos';
import { parseSvg } from '../support/svg';

const badge: LogoBadge = {
  partnerName: 'Contoso Ltd',
  level: 'gold',
  levelName: 'Gold Certified Partner',
  competencies: ['Security Solutions', 'Data Management Solutions'],
  validUntil: new Date('2027-12-06T10:00:00Z'),
};

describe('the partner logo', () => {
  it("draws the level, the name, each competency and the term's last day", () => {
    const svg = parseSvg(renderPartnerLogo(badge));
    expect(svg.root).toBe('svg');
    expect(svg.title).toBe('Gold Certified Partner: Contoso Ltd');
    expect(svg.texts).toEqual([
      'Gold Certified Partner',
      'Contoso Ltd',
      'Security Solutions',
      'Data Management Solutions',
      'Valid until 2027-12-06',
    ]);
  });

  it('keeps markup in a name as text: the document stays well-formed and the name reads as typed', () => {
    const partnerName = `<script>x</script> "Tom" & Jerry's`;
    const svg = renderPartnerLogo({ ...badge, partnerName });
    expect(svg).not.toContain('<script>');
    expect(parseSvg(svg).texts[1]).toBe(partnerName);
  });

  it('drops the control characters XML cannot hold and cuts a long name by characters, not UTF-16 units', () => {
    expect(escapeXml('a\u0001b\u001fc\ttab')).toBe('abc\ttab');
    const name = `${'Ä'.repeat(20)}${'😀'.repeat(30)}`;
    const drawn = parseSvg(renderPartnerLogo({ ...badge, partnerName: name })).texts[1]!;
    expect(Array.from(drawn)).toHaveLength(36);
    expect(drawn.endsWith('😀…')).toBe(true);
  });

  it('changes with the level, and only with what it shows', () => {
    const gold = renderPartnerLogo(badge);
    expect(renderPartnerLogo({ ...badge })).toBe(gold);
    expect(renderPartnerLogo({ ...badge, level: 'certified', levelName: 'Certified Partner' })).not.toBe(gold);
    expect(renderPartnerLogo({ ...badge, validUntil: new Date('2028-12-06T10:00:00Z') })).not.toBe(gold);
  });

  it('sums up competencies beyond four in one line', () => {
    const six = ['A', 'B', 'C', 'D', 'E', 'F'];
    expect(competencyLines(six)).toEqual(['A', 'B', 'C', '+ 3 more competencies']);
    expect(competencyLines(six.slice(0, 4))).toEqual(six.slice(0, 4));
    expect(parseSvg(renderPartnerLogo({ ...badge, competencies: [] })).texts).toEqual([
      'Gold Certified Partner',
      'Contoso Ltd',
      'Valid until 2027-12-06',
    ]);
  });
});
