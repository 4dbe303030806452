import { LlmopsError } from '@llmops/kernel';

/**
 * Two WebAssembly functions of ours, assembled here byte by byte (no tool, no dependency):
 *
 *   products4(x, xStride, rows, w, inputBytes, outputs, out)   rows a multiple of 4
 *   products1(x, xStride, rows, w, inputBytes, outputs, out)   any rows
 *
 * For each pair of outputs `o, o + 1` (weight rows of `inputBytes / 4` floats at `w + o × inputBytes`) and each
 * group of four input rows `r … r + 3` (one row for `products1`; row `r` at `x + r × xStride`), they sum the products
 * four floats at a time (f32x4: each weight load serves every row of the group, each input load two outputs) and store
 * the sums at `out + (r × outputs + o) × 4`, one output row of `outputs` floats per input row. `inputBytes` is a
 * multiple of 16 and `outputs` even. Addresses are byte offsets into the module's memory.
 */
const names = { x: 0, xStride: 1, rows: 2, w: 3, inputBytes: 4, outputs: 5, out: 6 } as const;

/** The locals of a function over groups of `rows` input rows: i32 first, then v128. */
function localsFor(rows: number) {
  const x = Array.from({ length: rows }, (_, k) => 13 + k);
  const vectors = 13 + rows;
  return {
    o: 7,
    r: 8,
    i: 9,
    at: 10,
    /** The weight row of each output of the pair. */
    weightRows: [11, 12] as const,
    /** Where each input row of the group starts. */
    x,
    /** The four weights loaded for each output of the pair, and four inputs of one row. */
    weights: [vectors, vectors + 1] as const,
    input: vectors + 2,
    /** Each row's sums for each output of the pair. */
    sums: [0, 1].map((pair) => x.map((_, k) => vectors + 3 + pair * rows + k)),
    /** The declarations: how many i32, how many v128. */
    declarations: [0x02, 6 + rows, 0x7f, 3 + 2 * rows, 0x7b],
  };
}
type Locals = ReturnType<typeof localsFor>;

const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (index: number) => [0x20, index],
  set: (index: number) => [0x21, index],
  tee: (index: number) => [0x22, index],
  i32: (value: number) => [0x41, value], // values below 64 only (one byte of signed LEB128)
  add: [0x6a],
  mul: [0x6c],
  geU: [0x4f],
  drop: [0x1a],
  f32Add: [0x92],
  f32Store: (offset: number) => [0x38, 0x02, offset],
  v128Load: [0xfd, 0x00, 0x04, 0x00],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  f32x4Add: [0xfd, 0xe4, 0x01],
  f32x4Mul: [0xfd, 0xe6, 0x01],
  lane: (index: number) => [0xfd, 0x1f, index],
};

/** `for (counter = 0; counter < limit; counter += step) body`, with `limit` a local. */
function countedLoop(
  { counter, limit, step }: { counter: number; limit: number; step: number[] },
  body: number[],
): number[] {
  return [
    ...op.i32(0),
    ...op.set(counter),
    ...op.block,
    ...op.loop,
    ...op.get(counter),
    ...op.get(limit),
    ...op.geU,
    ...op.brIf(1),
    ...body,
    ...op.get(counter),
    ...step,
    ...op.add,
    ...op.set(counter),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

/** `sums[0][k] += load(x[k] + i) × weights[0]`, and the same for the second output. */
function accumulate(locals: Locals, k: number): number[] {
  const add = (sum: number, weight: number) => [
    ...op.get(sum),
    ...op.get(locals.input),
    ...op.get(weight),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.set(sum),
  ];
  return [
    ...op.get(locals.x[k] as number),
    ...op.get(locals.i),
    ...op.add,
    ...op.v128Load,
    ...op.set(locals.input),
    ...locals.sums.flatMap((pair, output) => add(pair[k] as number, locals.weights[output] as number)),
  ];
}

/** Stores the sum of `sum`'s four lanes at `at + k × outputs × 4 + offset`. */
function storeLanes(locals: Locals, { sum, k, offset }: { sum: number; k: number; offset: number }): number[] {
  const address = [...op.get(locals.at), ...op.get(names.outputs), ...op.i32(4 * k), ...op.mul, ...op.add];
  const lanes = [...op.get(sum), ...op.lane(0)];
  for (let lane = 1; lane < 4; lane += 1) lanes.push(...op.get(sum), ...op.lane(lane), ...op.f32Add);
  return [...address, ...lanes, ...op.f32Store(offset)];
}

/** The body of the function over groups of `rows` input rows. */
function bodyFor(rows: number): number[] {
  const locals = localsFor(rows);
  const loadWeights = locals.weightRows.flatMap((weightRow, pair) => [
    ...op.get(weightRow),
    ...op.get(locals.i),
    ...op.add,
    ...op.v128Load,
    ...op.set(locals.weights[pair] as number),
  ]);
  const innerLoop = countedLoop({ counter: locals.i, limit: names.inputBytes, step: op.i32(16) }, [
    ...loadWeights,
    ...locals.x.flatMap((_, k) => accumulate(locals, k)),
  ]);
  const rowStarts = [...op.get(names.x), ...op.get(locals.r), ...op.get(names.xStride), ...op.mul, ...op.add];
  locals.x.forEach((start, k) => {
    if (k > 0) rowStarts.push(...op.get(names.xStride), ...op.add);
    rowStarts.push(...op.tee(start));
  });
  const rowLoop = countedLoop({ counter: locals.r, limit: names.rows, step: op.i32(rows) }, [
    ...rowStarts,
    ...op.drop,
    ...op.v128Zero,
    ...locals.sums.flat().flatMap((sum) => op.tee(sum)),
    ...op.drop,
    ...innerLoop,
    ...op.get(names.out),
    ...op.get(locals.r),
    ...op.get(names.outputs),
    ...op.mul,
    ...op.get(locals.o),
    ...op.add,
    ...op.i32(4),
    ...op.mul,
    ...op.add,
    ...op.set(locals.at),
    ...locals.sums.flatMap((pair, output) =>
      pair.flatMap((sum, k) => storeLanes(locals, { sum, k, offset: 4 * output })),
    ),
  ]);
  const outputLoop = countedLoop({ counter: locals.o, limit: names.outputs, step: op.i32(2) }, [
    ...op.get(names.w),
    ...op.get(locals.o),
    ...op.get(names.inputBytes),
    ...op.mul,
    ...op.add,
    ...op.tee(locals.weightRows[0]),
    ...op.get(names.inputBytes),
    ...op.add,
    ...op.set(locals.weightRows[1]),
    ...rowLoop,
  ]);
  return [...locals.declarations, ...outputLoop, ...op.end];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    const low = value & 0x7f;
    value >>>= 7;
    bytes.push(value > 0 ? low | 0x80 : low);
  } while (value > 0);
  return bytes;
}

const text = (value: string) => [value.length, ...new TextEncoder().encode(value)];

const bodies = [bodyFor(4), bodyFor(1)];

/** The module: one function type of seven i32 parameters, two functions, one memory (grown by the caller). */
const moduleBytes = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  ...section(1, [0x01, 0x60, 0x07, ...new Array<number>(7).fill(0x7f), 0x00]),
  ...section(3, [0x02, 0x00, 0x00]),
  ...section(5, [0x01, 0x00, 0x01]),
  ...section(7, [
    0x03,
    ...text('products4'),
    0x00,
    0x00,
    ...text('products1'),
    0x00,
    0x01,
    ...text('memory'),
    0x02,
    0x00,
  ]),
  ...section(10, [0x02, ...bodies.flatMap((body) => [...unsignedLeb(body.length), ...body])]),
]);

/** The parts of the WebAssembly API used here (the project's TypeScript libraries do not declare it). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** `(x, xStride, rows, w, inputBytes, outputs, out)`, as above. */
type ProductsFunction = (...addressesAndSizes: [number, number, number, number, number, number, number]) => void;

/** The exports of one instance of the module. */
export interface SimdDotProducts {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  products4: ProductsFunction;
  products1: ProductsFunction;
}

/**
 * A new instance (its own memory of one page, to grow).
 * @throws LlmopsError `internal` when this runtime has no WebAssembly SIMD
 */
export function simdDotProducts(): SimdDotProducts {
  if (!webAssembly.validate(moduleBytes))
    throw new LlmopsError('internal', 'the sentence encoder needs WebAssembly SIMD (Node.js 16.4 or later)');
  return new webAssembly.Instance(new webAssembly.Module(moduleBytes)).exports as unknown as SimdDotProducts;
}
