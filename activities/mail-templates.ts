import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { repoRoot } from '../lib/paths';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Part = 'subject' | 'text' | 'html';

/**
 * Mail from the template files under `activities/templates` (read from the sources; dist/ holds
 * no copy), compiled once, in strict mode so a missing value fails rather than sending a blank.
 * Only HTML is escaped: the subject and the text are not HTML.
 */
export class MailTemplates {
  private readonly engine = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly dir = join(repoRoot(), 'activities', 'templates')) {}

  /** `<name>.subject.hbs`, `<name>.text.hbs` and `<name>.html.hbs`. */
  render(name: string, values: object): RenderedMail {
    return {
      subject: this.part(name, 'subject', values),
      text: this.part(name, 'text', values),
      html: this.part(name, 'html', values),
    };
  }

  /**
   * A notice: its own subject and text (`notices/<kind>.*.hbs`), and an HTML part from the text,
   * one paragraph per blank-line-separated block, in the shared `notices/layout.html.hbs` with
   * the notice's link as its button.
   */
  renderNotice(kind: string, values: { link: string; [name: string]: unknown }): RenderedMail {
    const subject = this.part(`notices/${kind}`, 'subject', values);
    const text = this.part(`notices/${kind}`, 'text', values);
    const paragraphs = text
      .split(/\n\s*\n/)
      .map((block) => block.trim())
      .filter(Boolean);
    return { subject, text, html: this.part('notices/layout', 'html', { subject, paragraphs, link: values.link }) };
  }

  private part(name: string, part: Part, values: object): string {
    const key = `${name}.${part}`;
    let template = this.compiled.get(key);
    if (!template) {
      template = this.engine.compile(readFileSync(join(this.dir, `${key}.hbs`), 'utf8'), { strict: true, noEscape: part !== 'html' });
      this.compiled.set(key, template);
    }
    const rendered = template(values);
    return part === 'subject' ? rendered.replace(/\s+/g, ' ').trim() : rendered;
  }
}
