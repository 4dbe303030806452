/**
 * Why a text is not valid JSON, from the `SyntaxError` of `JSON.parse`, without any of the text: V8's messages quote
 * the input (`Unexpected token 'r', "root:x:0:0:"... is not valid JSON`), and a file named by a user may be a secret
 * or a link to one. Gives the position when the error has one.
 */
export function jsonSyntaxProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/Unexpected end of JSON input/i.test(message)) return 'not valid JSON (it ends too early)';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return `not valid JSON (at character ${Number(position) + 1})`;
  return 'not valid JSON';
}
