import type { LevelCode } from './catalog';

/**
 * The partner logo: the badge a Certified or Gold partner embeds on its site, drawn as SVG from
 * what the program knows (name, level, competencies, the term's validity). Pure, so the same
 * facts always give the same bytes and the ETag changes exactly when one of them does.
 */

/** The catalog benefit whose entitlement lets a partner show the level's badge. */
export const PARTNER_LOGO_BENEFIT = 'partner-logos';
/** The catalog benefit that adds a competency's line to the badge, one entitlement per competency. */
export const COMPETENCY_LOGO_BENEFIT = 'competency-logo';

export interface LogoBadge {
  partnerName: string;
  level: LevelCode;
  /** The level's name in the catalog ("Gold Certified Partner"). */
  levelName: string;
  /** Names of the competencies whose logo the partner holds, in the order to show them. */
  competencies: readonly string[];
  /** The last day of the term the badge is valid for. */
  validUntil: Date;
}

/** Longest partner name drawn in full; a longer one is cut with an ellipsis so it stays inside the badge. */
const NAME_CHARACTERS = 36;
/** Competency lines drawn; more are summed up as "+ n more". */
const COMPETENCY_LINES = 4;
const WIDTH = 320;
const HEADER_HEIGHT = 96;
const LINE_HEIGHT = 18;
const FOOTER_HEIGHT = 30;

/** The badge's colours per level: presentation, not a program rule, so they stay here. */
const PALETTE: Record<LevelCode, { band: string; text: string }> = {
  registered: { band: '#5c6b7a', text: '#ffffff' },
  certified: { band: '#0b5cab', text: '#ffffff' },
  gold: { band: '#b8860b', text: '#1b1b1b' },
};

/** The five characters XML gives a meaning to, and the control characters XML 1.0 cannot hold at all. */
export function escapeXml(text: string): string {
  return (
    text
      // Characters XML 1.0 cannot hold, even escaped: dropped rather than breaking the document.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** Cut by code points, not UTF-16 units, so no surrogate pair is split. */
function shortened(text: string, limit: number): string {
  const characters = Array.from(text.trim());
  return characters.length <= limit ? characters.join('') : `${characters.slice(0, limit - 1).join('')}…`;
}

/** The competency lines drawn under the level, the last one summing up any not drawn. */
export function competencyLines(competencies: readonly string[]): string[] {
  if (competencies.length <= COMPETENCY_LINES) return [...competencies];
  const shown = competencies.slice(0, COMPETENCY_LINES - 1);
  return [...shown, `+ ${competencies.length - shown.length} more competencies`];
}

/** The badge as a standalone SVG document, with a title and description for screen readers. */
export function renderPartnerLogo(badge: LogoBadge): string {
  const palette = PALETTE[badge.level];
  const name = escapeXml(shortened(badge.partnerName, NAME_CHARACTERS));
  const level = escapeXml(badge.levelName);
  const lines = competencyLines(badge.competencies).map((line) => escapeXml(shortened(line, NAME_CHARACTERS + 4)));
  const validUntil = badge.validUntil.toISOString().slice(0, 10);
  const height = HEADER_HEIGHT + lines.length * LINE_HEIGHT + FOOTER_HEIGHT;
  const competencyText = lines
    .map((line, index) => `<text x="16" y="${HEADER_HEIGHT + 14 + index * LINE_HEIGHT}" font-size="13">${line}</text>`)
    .join('');
  const description = [`${name}, ${level}`, ...(lines.length ? [`competencies: ${lines.join(', ')}`] : [])].join('; ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="title desc">`,
    `<title id="title">${level}: ${name}</title>`,
    `<desc id="desc">${description}; valid until ${validUntil}</desc>`,
    `<g font-family="Segoe UI, Helvetica, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" rx="8" fill="#ffffff" stroke="${palette.band}" stroke-width="2"/>`,
    `<rect width="${WIDTH}" height="56" rx="8" fill="${palette.band}"/>`,
    `<text x="16" y="36" font-size="20" font-weight="700" fill="${palette.text}">${level}</text>`,
    `<text x="16" y="80" font-size="15" font-weight="600" fill="#1b1b1b">${name}</text>`,
    `<g fill="#333333">${competencyText}</g>`,
    `<text x="16" y="${height - 10}" font-size="11" fill="#5c6b7a">Valid until ${validUntil}</text>`,
    `</g>`,
    `</svg>`,
  ].join('\n');
}
