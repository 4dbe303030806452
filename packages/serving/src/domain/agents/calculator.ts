import { LlmopsError } from '@llmops/kernel';

/** Longest expression the calculator reads. */
const maxLength = 500;
/** Deepest nesting of parentheses, unary signs and powers. */
const maxDepth = 50;

const functions: Readonly<Record<string, { arity: [number, number]; apply: (values: number[]) => number }>> = {
  sqrt: { arity: [1, 1], apply: ([value]) => Math.sqrt(value as number) },
  abs: { arity: [1, 1], apply: ([value]) => Math.abs(value as number) },
  round: { arity: [1, 1], apply: ([value]) => Math.round(value as number) },
  floor: { arity: [1, 1], apply: ([value]) => Math.floor(value as number) },
  ceil: { arity: [1, 1], apply: ([value]) => Math.ceil(value as number) },
  min: { arity: [1, 20], apply: (values) => Math.min(...values) },
  max: { arity: [1, 20], apply: (values) => Math.max(...values) },
};

const constants: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

type Token = { kind: 'number'; value: number } | { kind: 'name'; value: string } | { kind: 'symbol'; value: string };

function invalid(expression: string, why: string): LlmopsError {
  return new LlmopsError('invalid_input', `calculator: ${why} in "${expression}"`);
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d+)?(?:e[+-]?\d+)?|\.\d+)|([A-Za-z]+)|([-+*/%^(),×÷]))/iy;
  let position = 0;
  while (position < expression.length) {
    if (/^\s*$/.test(expression.slice(position))) break;
    pattern.lastIndex = position;
    const match = pattern.exec(expression);
    if (!match) throw invalid(expression, `unexpected character "${expression.slice(position).trim()[0]}"`);
    position = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]) });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', value: match[2].toLowerCase() });
    else {
      const symbol = match[3] === '×' ? '*' : match[3] === '÷' ? '/' : (match[3] as string);
      tokens.push({ kind: 'symbol', value: symbol });
    }
  }
  return tokens;
}

/** A recursive-descent reader of arithmetic over the tokens of one expression. */
class ArithmeticReader {
  private position = 0;
  private depth = 0;

  constructor(
    private readonly expression: string,
    private readonly tokens: Token[],
  ) {}

  read(): number {
    if (this.tokens.length === 0) throw invalid(this.expression, 'no expression');
    const value = this.sum();
    const rest = this.tokens[this.position];
    if (rest) throw invalid(this.expression, `unexpected "${rest.value}"`);
    return value;
  }

  private peek(symbol: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === 'symbol' && token.value === symbol;
  }

  private expect(symbol: string): void {
    if (!this.peek(symbol)) throw invalid(this.expression, `expected "${symbol}"`);
    this.position += 1;
  }

  private nested<T>(read: () => T): T {
    this.depth += 1;
    if (this.depth > maxDepth) throw invalid(this.expression, `nesting deeper than ${maxDepth}`);
    try {
      return read();
    } finally {
      this.depth -= 1;
    }
  }

  private sum(): number {
    let value = this.product();
    while (this.peek('+') || this.peek('-')) {
      const operator = (this.tokens[this.position++] as Token).value;
      const right = this.product();
      value = operator === '+' ? value + right : value - right;
    }
    return value;
  }

  private product(): number {
    let value = this.unary();
    while (this.peek('*') || this.peek('/') || this.peek('%')) {
      const operator = (this.tokens[this.position++] as Token).value;
      const right = this.unary();
      if ((operator === '/' || operator === '%') && right === 0) throw invalid(this.expression, 'division by zero');
      value = operator === '*' ? value * right : operator === '/' ? value / right : value % right;
    }
    return value;
  }

  private unary(): number {
    if (this.peek('-') || this.peek('+')) {
      const negative = (this.tokens[this.position++] as Token).value === '-';
      const value = this.nested(() => this.unary());
      return negative ? -value : value;
    }
    return this.power();
  }

  private power(): number {
    const base = this.primary();
    if (!this.peek('^')) return base;
    this.position += 1;
    return base ** this.nested(() => this.unary());
  }

  private primary(): number {
    const token = this.tokens[this.position];
    if (!token) throw invalid(this.expression, 'the expression ends too early');
    this.position += 1;
    if (token.kind === 'number') return token.value;
    if (token.kind === 'symbol') {
      if (token.value !== '(') throw invalid(this.expression, `unexpected "${token.value}"`);
      const value = this.nested(() => this.sum());
      this.expect(')');
      return value;
    }
    // Own keys only: `constructor` or `__proto__` must not reach Object.prototype.
    if (Object.hasOwn(constants, token.value)) return constants[token.value] as number;
    const fn = Object.hasOwn(functions, token.value) ? functions[token.value] : undefined;
    if (!fn) {
      throw invalid(
        this.expression,
        `unknown name "${token.value}" (known: ${[...Object.keys(functions), ...Object.keys(constants)].join(', ')})`,
      );
    }
    this.expect('(');
    const values = [this.nested(() => this.sum())];
    while (this.peek(',')) {
      this.position += 1;
      values.push(this.nested(() => this.sum()));
    }
    this.expect(')');
    const [least, most] = fn.arity;
    if (values.length < least || values.length > most)
      throw invalid(
        this.expression,
        `${token.value} takes ${least === most ? least : `${least} to ${most}`} arguments`,
      );
    return fn.apply(values);
  }
}

/**
 * Evaluates arithmetic: numbers, `+ - * / % ^` (also `×` `÷`), parentheses, `sqrt abs round floor
 * ceil min max`, `pi` and `e`. A parser, never `eval`: anything else is refused.
 * @throws LlmopsError `invalid_input` naming what is wrong (an unknown name, division by zero, a result that is not finite).
 */
export function evaluateArithmetic(expression: string): number {
  if (expression.length > maxLength)
    throw invalid(expression.slice(0, 40), `an expression longer than ${maxLength} characters`);
  const value = new ArithmeticReader(expression, tokenize(expression)).read();
  if (!Number.isFinite(value)) throw invalid(expression, 'a result that is not a finite number');
  return value;
}

/** A number as the calculator writes it: at most 12 significant digits, no trailing zeros. */
export function formatNumber(value: number): string {
  return Object.is(value, -0) ? '0' : String(Number(value.toPrecision(12)));
}
