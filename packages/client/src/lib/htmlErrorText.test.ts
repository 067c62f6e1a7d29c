import { describe, expect, it } from 'vitest';
import { htmlErrorText, looksLikeHtml } from './htmlErrorText.js';

describe('htmlErrorText', () => {
  it('reads the heading and the first paragraph after it, inside <main>', () => {
    const page = '<title>T</title><body><header><h1>Site</h1><p>nav</p></header><main><h1>Unregistered redirect URI</h1><p class="lead">The redirect URI is not registered.</p><p>Back</p></main></body>';
    expect(htmlErrorText(page)).toBe('Unregistered redirect URI: The redirect URI is not registered.');
  });

  it('falls back to the title, and says nothing for an empty page', () => {
    expect(htmlErrorText('<html><head><title> 400 Bad Request </title></head><body></body></html>')).toBe('400 Bad Request');
    expect(htmlErrorText('<html><body>   </body></html>')).toBeUndefined();
  });

  it('drops tags, scripts and styles, decodes entities and collapses whitespace', () => {
    const page = '<body><h1>A &amp; B</h1><p>x\n  <b>y</b><script>alert(1)</script> &lt;z&gt;</p></body>';
    expect(htmlErrorText(page)).toBe('A & B: x y <z>');
  });

  it('cuts a long text to 300 characters', () => {
    expect(htmlErrorText(`<p>${'w'.repeat(1000)}</p>`)).toHaveLength(300);
  });
});

describe('looksLikeHtml', () => {
  it('goes by the content type, else by a doctype or html tag', () => {
    expect(looksLikeHtml('x', 'text/html; charset=utf-8')).toBe(true);
    expect(looksLikeHtml('  <!DOCTYPE html><p>', null)).toBe(true);
    expect(looksLikeHtml('bad', 'text/plain')).toBe(false);
  });
});
