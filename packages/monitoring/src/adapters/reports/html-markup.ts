import { createHash } from 'node:crypto';
import { LlmopsError } from '@llmops/kernel';

/** Escapes text for HTML content and attribute values (`&`, `<`, `>`, `"`, `'`). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A value as JSON that is safe inside a `<script type="application/json">` element: `<`, `>` and `&` are written
 * as `\u003c`, `\u003e` and `\u0026` (so no `</script>` or `<!--` can appear), and the two line separators that
 * are not valid in older JavaScript string literals as `\u2028` and `\u2029`. `JSON.parse` reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Checks that a file's text can be inlined in a `<script>` or `<style>` element as it is: it must not hold the
 * element's end tag (nor, for scripts, `<!--`, which changes how the HTML parser reads what follows).
 * @throws LlmopsError `internal` naming the file, when it cannot be inlined.
 */
export function assertInlinable(text: string, options: { element: 'script' | 'style'; source: string }): void {
  const lower = text.toLowerCase();
  if (lower.includes(`</${options.element}`) || (options.element === 'script' && lower.includes('<!--')))
    throw new LlmopsError(
      'internal',
      `${options.source} cannot be inlined in a <${options.element}> element: it holds "</${options.element}" or "<!--"`,
    );
}

/** The CSP source expression of an inline element's exact text (`'sha256-…'`). */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
