/** The survey page's link in an invitation mail's text, and the token in its fragment. */
export function surveyLinkIn(text: string): { link: string; token: string } {
  const found = /(\S+\/survey#token=([A-Za-z0-9_-]+))/.exec(text);
  if (!found) throw new Error(`No survey link in the mail:\n${text}`);
  return { link: found[1]!, token: found[2]! };
}
