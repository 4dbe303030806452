import { hash } from 'node:crypto';

/** SHA-256 of a question's text, as 64 lowercase hex characters: the event keeps this, not the text. */
export function hashQuestion(text: string): string {
  return hash('sha256', text, 'hex');
}
