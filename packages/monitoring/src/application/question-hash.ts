import { createHash } from 'node:crypto';

/** SHA-256 of a question's text, as 64 lowercase hex characters: the event keeps this, not the text. */
export function hashQuestion(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
