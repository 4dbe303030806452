import { styleText } from 'node:util';

/** How the CLI marks up a line: identity functions when colour is off. */
export interface CliStyle {
  /** An error (red). */
  error: (text: string) => string;
  /** Something that succeeded or passed (green). */
  success: (text: string) => string;
  /** Something that failed a check, such as a gate verdict (red, bold). */
  failure: (text: string) => string;
  /** A header or a name to pick out (bold). */
  strong: (text: string) => string;
  /** Secondary detail (dim). */
  muted: (text: string) => string;
}

/**
 * Whether to colour a stream, after https://no-color.org: never when `NO_COLOR` is set to a non-empty value; always
 * when `FORCE_COLOR` is set to anything but `0` or `false`; else only when the stream is a terminal.
 */
export function colorEnabled(options: { isTTY: boolean; env: Record<string, string | undefined> }): boolean {
  const noColor = options.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  const force = options.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return options.isTTY;
}

/** The styles of a stream: ANSI colours (node:util `styleText`) when `enabled`, plain text otherwise. */
export function cliStyle(enabled: boolean): CliStyle {
  const paint =
    (...formats: Parameters<typeof styleText>[0][]) =>
    (text: string) =>
      enabled
        ? formats.reduce<string>((styled, format) => styleText(format, styled, { validateStream: false }), text)
        : text;
  return {
    error: paint('red'),
    success: paint('green'),
    failure: paint('red', 'bold'),
    strong: paint('bold'),
    muted: paint('dim'),
  };
}
