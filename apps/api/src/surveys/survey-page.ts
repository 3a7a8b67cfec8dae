import { createHash } from 'node:crypto';
import type { SurveyQuestion } from '#domain/catalog';
import { escapeHtml } from '#lib/html';

/** The one question of catalog versions that named none: their answer route takes any number of answers. */
const OVERALL: SurveyQuestion = { code: 'overall', text: 'Overall, how satisfied are you with this partner?' };

/**
 * The page's script. The token comes from the URL fragment (`/survey#token=…`), which the browser
 * never sends, so no request line, proxy or log holds it; the script sends it in the answer's body.
 * Every text it writes goes through `textContent`. Kept in this file, inline, so the page needs no
 * second request and the Content-Security-Policy allows exactly this script by its hash.
 */
const SCRIPT = `(() => {
  'use strict';
  const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;
  const show = (id) => {
    for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== id;
  };
  // A finished survey leaves no token in the address bar or the history.
  const finish = (id) => {
    history.replaceState(null, '', location.pathname);
    show(id);
  };
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token || !TOKEN.test(token)) {
    show('invalid');
    return;
  }
  const form = document.getElementById('survey-form');
  const button = form.querySelector('button[type="submit"]');
  const error = document.getElementById('form-error');
  const fail = (message) => {
    error.textContent = message;
    error.hidden = false;
    button.disabled = false;
  };
  show('survey');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const picked = Array.from(form.querySelectorAll('fieldset'), (fieldset) => fieldset.querySelector('input:checked'));
    if (picked.some((input) => input === null)) {
      fail('Please answer every question.');
      return;
    }
    const scores = picked.map((input) => Number(input.value));
    const comment = form.elements.namedItem('comment').value.trim();
    button.disabled = true;
    error.hidden = true;
    let response;
    try {
      response = await fetch('/v1/surveys/responses', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(comment ? { token, scores, comment } : { token, scores }),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      fail('Your answer could not be sent. Check your connection and send it again.');
      return;
    }
    if (response.ok) {
      finish('thanks');
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (response.status === 409 && body.code === 'survey_closed') {
      document.getElementById('closed-reason').textContent = (body.message || 'This survey is closed') + '.';
      finish('closed');
    } else if (response.status === 404) {
      finish('invalid');
    } else if (response.status === 429) {
      fail('Too many attempts from your network. Please wait a minute, then send your answer again.');
    } else if (response.status === 422 && typeof body.message === 'string') {
      fail(body.message + '. Please reload the page and answer again.');
    } else {
      fail('The survey cannot take answers right now. Please try again in a few minutes.');
    }
  });
})();`;

const STYLE = `body{font-family:system-ui,sans-serif;line-height:1.5;color:#1b1b1b;margin:0;background:#f4f6f8}
main{max-width:40rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:6px}
fieldset{border:1px solid #d0d7de;border-radius:4px;margin:0 0 1rem;padding:.75rem 1rem}
legend{font-weight:600;padding:0 .25rem}
.scale{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
.scale label{display:inline-flex;gap:.25rem;align-items:center}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#57606a}
textarea{width:100%;box-sizing:border-box;font:inherit}
button{font:inherit;padding:.5rem 1.25rem;background:#0b5cab;color:#fff;border:0;border-radius:4px;cursor:pointer}
button:disabled{opacity:.6;cursor:default}
[role=alert]{color:#a40e26}`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * What the browser may do on the page: run its one script and its one style sheet (by hash), send
 * the answer to this origin, and nothing else: no other scripts, styles, images, frames, forms or
 * framing by other sites. The page needs no third-party asset.
 */
export const SURVEY_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': [
    "default-src 'none'",
    `script-src ${sha256(SCRIPT)}`,
    `style-src ${sha256(STYLE)}`,
    "connect-src 'self'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

function question(item: SurveyQuestion, index: number, scale: number): string {
  const options = Array.from(
    { length: scale },
    (_, n) => `<label><input type="radio" name="q${index}" value="${n + 1}" required> ${n + 1}</label>`,
  ).join('');
  return `<fieldset data-question="${escapeHtml(item.code)}"><legend>${escapeHtml(item.text)}</legend>
<div class="scale">${options}</div><div class="ends"><span>1: not at all satisfied</span><span>${scale}: very satisfied</span></div></fieldset>`;
}

/** The survey page for the catalog's questions on its scale, every catalog text escaped. */
export function renderSurveyPage(rules: { scale: number; questions?: SurveyQuestion[] }): string {
  const questions = rules.questions?.length ? rules.questions : [OVERALL];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer satisfaction survey</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>How satisfied are you with your partner?</h1>
<noscript><p>This page needs JavaScript to send your answer.</p></noscript>
<section id="survey" hidden>
<p>Please rate each question from 1 (not at all satisfied) to ${rules.scale} (very satisfied). You can answer once.</p>
<form id="survey-form">
${questions.map((item, index) => question(item, index, rules.scale)).join('\n')}
<p><label for="comment">Anything else you would like to tell us? (optional)</label><br>
<textarea id="comment" name="comment" rows="4" maxlength="2000"></textarea></p>
<p id="form-error" role="alert" hidden></p>
<button type="submit">Send my answer</button>
</form>
</section>
<section id="thanks" hidden><h2>Thank you!</h2><p>Your answer is recorded. You may close this page.</p></section>
<section id="closed" hidden><h2>This survey is closed</h2><p id="closed-reason"></p></section>
<section id="invalid" hidden><h2>This link does not work</h2>
<p>Please open the whole link from your invitation mail. If it still does not work, the invitation may have been replaced by a newer mail.</p></section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
