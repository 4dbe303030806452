import { newTraceId } from './trace-id.js';

describe('newTraceId', () => {
  it('is 32 lowercase hex characters in the UUIDv7 layout: version 7, variant 10', () => {
    const id = newTraceId();
    expect(id).toMatch(/^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    // The same id with dashes is a UUID (what MLflow's and OpenTelemetry's parsers accept as 16 bytes).
    const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('starts with the time in ms, so ids of later traces sort after earlier ones', () => {
    const time = Date.UTC(2026, 10, 30, 12, 0, 0, 123);
    expect(newTraceId(time).slice(0, 12)).toBe(time.toString(16).padStart(12, '0'));
    const ids = [0, 1, 255, 256, 65_536, time, time + 1, 2 ** 48 - 1].map((at) => newTraceId(at));
    expect([...ids].sort()).toEqual(ids);
  });

  it('differs in its random bits between ids of one millisecond', () => {
    const time = Date.UTC(2026, 10, 30);
    const ids = new Set(Array.from({ length: 5_000 }, () => newTraceId(time)));
    expect(ids.size).toBe(5_000);
    // 74 random bits: every random hex digit takes many values over 5,000 ids (a stuck byte of the pool would not).
    const randomDigits = [13, 14, 15, ...Array.from({ length: 15 }, (_, index) => 17 + index)];
    for (const position of randomDigits) {
      expect(new Set([...ids].map((id) => id[position])).size).toBe(16);
    }
  });

  it('clamps a time outside 48 bits (a fake clock before 1970, or not a number) instead of writing a wrong width', () => {
    expect(newTraceId(-5).slice(0, 12)).toBe('000000000000');
    expect(newTraceId(Number.NaN).slice(0, 12)).toBe('000000000000');
    expect(newTraceId(2 ** 60).slice(0, 12)).toBe('ffffffffffff');
    expect(newTraceId(-5)).toMatch(/^[0-9a-f]{32}$/);
  });
});
