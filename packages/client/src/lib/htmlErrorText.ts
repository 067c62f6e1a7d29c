/** Reads what an HTML error page says (heading and first paragraph, else its title), so it is not dropped. */

const MAX_LENGTH = 300;

/**
 * `"Unknown client: This application is not registered with Keyturn."` from Keyturn's error page;
 * the `<title>` when the page has no heading; `undefined` when it says nothing readable.
 */
export function htmlErrorText(html: string): string | undefined {
  const main = firstMatch(html, /<main\b[^>]*>([\s\S]*?)<\/main>/i) ?? firstMatch(html, /<body\b[^>]*>([\s\S]*?)<\/body>/i) ?? html;
  const heading = text(firstMatch(main, /<h1\b[^>]*>([\s\S]*?)<\/h1>/i));
  const afterHeading = heading ? main.slice(main.search(/<\/h1>/i)) : main;
  const paragraph = text(firstMatch(afterHeading, /<p\b[^>]*>([\s\S]*?)<\/p>/i));
  const title = text(firstMatch(html, /<title\b[^>]*>([\s\S]*?)<\/title>/i));
  const said = heading && paragraph ? `${heading}: ${paragraph}` : (heading ?? paragraph ?? title);
  if (!said) return undefined;
  return said.length > MAX_LENGTH ? `${said.slice(0, MAX_LENGTH - 1)}…` : said;
}

/** True when a body is an HTML document rather than JSON or plain text. */
export function looksLikeHtml(body: string, contentType: string | null): boolean {
  return /\btext\/html\b/i.test(contentType ?? '') || /^\s*<(!doctype|html)\b/i.test(body);
}

function firstMatch(source: string, pattern: RegExp): string | undefined {
  return pattern.exec(source)?.[1];
}

/** Tags out, the few entities an error page uses decoded, whitespace collapsed. */
function text(fragment: string | undefined): string | undefined {
  if (fragment === undefined) return undefined;
  const plain = fragment
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_, name: string) => ENTITIES[name] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain === '' ? undefined : plain;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ' };
