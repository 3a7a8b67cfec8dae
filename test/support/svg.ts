import { DOMParser } from '@xmldom/xmldom';

export interface ParsedSvg {
  root: string;
  title: string;
  /** Every text node inside `<text>` elements, in document order. */
  texts: string[];
}

/** Parses an SVG strictly: any XML error (a stray `<`, an unescaped `&`) throws. */
export function parseSvg(svg: string): ParsedSvg {
  const document = new DOMParser({
    onError: (level, message) => {
      throw new Error(`SVG is not well-formed XML (${level}): ${message}`);
    },
  }).parseFromString(svg, 'image/svg+xml');
  const root = document.documentElement!;
  const textOf = (name: string) => Array.from(root.getElementsByTagName(name)).map((element) => element.textContent ?? '');
  return { root: root.tagName, title: textOf('title')[0] ?? '', texts: textOf('text') };
}
