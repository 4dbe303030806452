import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitSseEvents } from '../testing/openai-wire-server.js';

/** The text of a fixture file in src/__fixtures__. */
export function readFixtureText(name: string): string {
  return readFileSync(join(__dirname, name), 'utf8');
}

/** A JSON fixture, parsed. */
export function readJsonFixture(name: string): unknown {
  return JSON.parse(readFixtureText(name)) as unknown;
}

/** The event blocks of an `.sse` fixture. */
export function readSseFixture(name: string): string[] {
  return splitSseEvents(readFixtureText(name));
}
