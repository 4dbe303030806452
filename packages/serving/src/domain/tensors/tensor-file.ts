import { LlmopsError } from '@llmops/kernel';

/** The first bytes of a tensor file (written by `tools/guardrails/encoder/quantise-encoder.py` and `tools/retrieval/minilm/write-minilm.py`). */
const magic = 'LLMOPS-USE-INT8\n';

const arrayTypes = {
  int8: Int8Array,
  uint8: Uint8Array,
  int32: Int32Array,
  float32: Float32Array,
} as const;

/** The element types a tensor file may hold. */
export type TensorType = keyof typeof arrayTypes;

/** One named array of a tensor file, with its shape. */
export interface Tensor<T extends TensorType = TensorType> {
  shape: readonly number[];
  values: InstanceType<(typeof arrayTypes)[T]>;
}

/**
 * A file of named arrays: the magic line, a little-endian uint32 header length, a JSON header
 * (`{tensors: {name: {dtype, shape, offset}}, ...settings}`, offsets counted from the end of the header) and
 * the arrays' bytes. Read whole; each array is copied out so it is aligned whatever the buffer's offset.
 */
export class TensorFile {
  /** The header's other fields (the encoder's `eps`, the head's `labels`). */
  readonly settings: Readonly<Record<string, unknown>>;
  private readonly specs: Record<string, { dtype: string; shape: number[]; offset: number }>;
  /** Where the arrays' bytes start. */
  private readonly base: number;

  /** @throws LlmopsError `invalid_input` when the bytes are not a tensor file. */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly name: string,
  ) {
    const head = new TextDecoder().decode(bytes.subarray(0, magic.length));
    if (head !== magic || bytes.length < magic.length + 4) {
      throw new LlmopsError(
        'invalid_input',
        `${name}: not a tensor file (expected it to start with ${JSON.stringify(magic)})`,
      );
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const size = view.getUint32(magic.length, true);
    const start = magic.length + 4;
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(start, start + size))) as {
      tensors: TensorFile['specs'];
    } & Record<string, unknown>;
    const { tensors, ...settings } = header;
    this.specs = tensors;
    this.settings = settings;
    this.base = start + size;
  }

  /** True when the file holds an array called `tensorName`. */
  has(tensorName: string): boolean {
    return tensorName in this.specs;
  }

  /**
   * The array called `tensorName`, of type `type`.
   * @throws LlmopsError `invalid_input` when the file has no such array, or it has another type or runs past the end.
   */
  tensor<T extends TensorType>(tensorName: string, type: T): Tensor<T> {
    const spec = this.specs[tensorName];
    if (!spec || spec.dtype !== type) {
      throw new LlmopsError(
        'invalid_input',
        `${this.name}: expected a ${type} array called ${tensorName}, found ${spec ? spec.dtype : 'none'}`,
      );
    }
    const ArrayType = arrayTypes[type];
    const count = spec.shape.reduce((product, size) => product * size, 1);
    const start = this.base + spec.offset;
    const end = start + count * ArrayType.BYTES_PER_ELEMENT;
    if (end > this.bytes.length) {
      throw new LlmopsError('invalid_input', `${this.name}: array ${tensorName} runs past the end of the file`);
    }
    // A copy (a Node Buffer's `slice` is a view, and a view's offset may not suit the element size).
    const copy = new Uint8Array(end - start);
    copy.set(this.bytes.subarray(start, end));
    const values = new ArrayType(copy.buffer) as Tensor<T>['values'];
    return { shape: spec.shape, values };
  }
}
