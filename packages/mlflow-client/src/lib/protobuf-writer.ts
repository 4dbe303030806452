/**
 * A minimal Protocol Buffers encoder: just the wire types OTLP trace export needs (varint,
 * 64-bit, length-delimited). Messages are built inside-out: encode a child, then write it as a
 * length-delimited field of its parent.
 */
export class ProtobufWriter {
  private bytes: number[] = [];

  private key(field: number, wireType: 0 | 1 | 2): void {
    this.varint((BigInt(field) << 3n) | BigInt(wireType));
  }

  private varint(value: bigint): void {
    let rest = BigInt.asUintN(64, value);
    while (rest > 0x7fn) {
      this.bytes.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.bytes.push(Number(rest));
  }

  /** An int64/uint64/enum/bool field (varint; negative int64 as ten bytes of two's complement). */
  int64(field: number, value: number | bigint): this {
    this.key(field, 0);
    this.varint(typeof value === 'bigint' ? value : BigInt(Math.trunc(value)));
    return this;
  }

  /** A bool field. */
  bool(field: number, value: boolean): this {
    return this.int64(field, value ? 1 : 0);
  }

  /** A fixed64 field (little-endian). */
  fixed64(field: number, value: bigint): this {
    this.key(field, 1);
    const buffer = new DataView(new ArrayBuffer(8));
    buffer.setBigUint64(0, BigInt.asUintN(64, value), true);
    for (let index = 0; index < 8; index += 1) this.bytes.push(buffer.getUint8(index));
    return this;
  }

  /** A double field (little-endian IEEE 754). */
  double(field: number, value: number): this {
    this.key(field, 1);
    const buffer = new DataView(new ArrayBuffer(8));
    buffer.setFloat64(0, value, true);
    for (let index = 0; index < 8; index += 1) this.bytes.push(buffer.getUint8(index));
    return this;
  }

  /** A bytes field, or an already encoded message. */
  bytesField(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(BigInt(value.length));
    for (const byte of value) this.bytes.push(byte);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  /** The encoded message. */
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
