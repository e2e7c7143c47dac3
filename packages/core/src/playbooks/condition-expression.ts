/**
 * The condition language of if-, while- and switch-condition steps (CACAO leaves the language
 * to the implementation). Small on purpose: variables (`__hits__`), numbers, strings in double
 * or single quotes, `true`/`false`/`null`, comparisons `== != < <= > >=`, `and`/`or`/`not` and
 * parentheses. Text is parsed once into a readonly tree and evaluated by walking it — nothing
 * is ever handed to `eval` — and length, token count and nesting are bounded.
 *
 *     __hits__ > 0 and __severity__ == "critical"
 *     not (__approved__ == false)
 */
export type ConditionValue = string | number | boolean | null;

export type ConditionNode =
  | { readonly kind: 'literal'; readonly value: ConditionValue }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'not'; readonly operand: ConditionNode }
  | {
      readonly kind: 'logical';
      readonly operator: 'and' | 'or';
      readonly left: ConditionNode;
      readonly right: ConditionNode;
    }
  | {
      readonly kind: 'compare';
      readonly operator: CompareOperator;
      readonly left: ConditionNode;
      readonly right: ConditionNode;
    };

type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export const CONDITION_LIMITS = { maxLength: 2000, maxTokens: 300, maxDepth: 24 } as const;

export class ConditionSyntaxError extends Error {
  override readonly name = 'ConditionSyntaxError';
}

type Token =
  | { readonly kind: 'value'; readonly value: ConditionValue }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'op'; readonly text: string }
  | { readonly kind: 'end' };

/** `__name__` as CACAO spells variables. */
export const VARIABLE_NAME = /^__[a-zA-Z_][a-zA-Z0-9_-]{0,199}__$/;

function tokenize(text: string): Token[] {
  if (text.length > CONDITION_LIMITS.maxLength)
    throw new ConditionSyntaxError(
      `a condition is at most ${CONDITION_LIMITS.maxLength} characters`,
    );
  const tokens: Token[] = [];
  let i = 0;
  const push = (token: Token): void => {
    if (tokens.length >= CONDITION_LIMITS.maxTokens)
      throw new ConditionSyntaxError(
        `a condition has at most ${CONDITION_LIMITS.maxTokens} tokens`,
      );
    tokens.push(token);
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')') {
      push({ kind: 'op', text: c });
      i++;
    } else if ('=!<>'.includes(c)) {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
        push({ kind: 'op', text: two });
        i += 2;
      } else if (c === '<' || c === '>') {
        push({ kind: 'op', text: c });
        i++;
      } else throw new ConditionSyntaxError(`unexpected '${c}' at ${i + 1} (use == or !=)`);
    } else if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new ConditionSyntaxError(`unterminated string at ${i + 1}`);
        const d = text[j]!;
        if (d === c) break;
        if (d === '\\') {
          j++;
          if (j >= text.length) throw new ConditionSyntaxError(`unterminated string at ${i + 1}`);
        }
        value += text[j];
        j++;
      }
      push({ kind: 'value', value });
      i = j + 1;
    } else if (/[0-9-]/.test(c)) {
      const match = /^-?[0-9]+(\.[0-9]+)?/.exec(text.slice(i, i + 40));
      if (!match) throw new ConditionSyntaxError(`unexpected '${c}' at ${i + 1}`);
      push({ kind: 'value', value: Number(match[0]) });
      i += match[0].length;
    } else if (c === '_') {
      const word = /^[a-zA-Z0-9_-]+/.exec(text.slice(i, i + 210))?.[0] ?? '';
      if (!VARIABLE_NAME.test(word))
        throw new ConditionSyntaxError(`"${word}" at ${i + 1} is not a variable (write __name__)`);
      push({ kind: 'variable', name: word });
      i += word.length;
    } else if (/[a-zA-Z]/.test(c)) {
      const word = /^[a-zA-Z]+/.exec(text.slice(i, i + 20))![0];
      const lower = word.toLowerCase();
      if (lower === 'and' || lower === 'or' || lower === 'not') push({ kind: 'op', text: lower });
      else if (lower === 'true' || lower === 'false')
        push({ kind: 'value', value: lower === 'true' });
      else if (lower === 'null') push({ kind: 'value', value: null });
      else
        throw new ConditionSyntaxError(
          `unknown word "${word}" at ${i + 1} (strings are quoted, variables are __name__)`,
        );
      i += word.length;
    } else throw new ConditionSyntaxError(`unexpected '${c}' at ${i + 1}`);
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

class ConditionParser {
  #position = 0;
  readonly #tokens: readonly Token[];
  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
  }

  parse(): ConditionNode {
    const node = this.#or(0);
    if (this.#peek().kind !== 'end')
      throw new ConditionSyntaxError('unexpected text after the condition');
    return node;
  }

  #peek(): Token {
    return this.#tokens[this.#position]!;
  }
  #isOp(text: string): boolean {
    const token = this.#peek();
    return token.kind === 'op' && token.text === text;
  }
  #depth(depth: number): void {
    if (depth > CONDITION_LIMITS.maxDepth)
      throw new ConditionSyntaxError(
        `a condition nests at most ${CONDITION_LIMITS.maxDepth} levels`,
      );
  }

  #or(depth: number): ConditionNode {
    this.#depth(depth);
    let left = this.#and(depth + 1);
    while (this.#isOp('or')) {
      this.#position++;
      left = { kind: 'logical', operator: 'or', left, right: this.#and(depth + 1) };
    }
    return left;
  }
  #and(depth: number): ConditionNode {
    let left = this.#not(depth + 1);
    while (this.#isOp('and')) {
      this.#position++;
      left = { kind: 'logical', operator: 'and', left, right: this.#not(depth + 1) };
    }
    return left;
  }
  #not(depth: number): ConditionNode {
    this.#depth(depth);
    if (this.#isOp('not')) {
      this.#position++;
      return { kind: 'not', operand: this.#not(depth + 1) };
    }
    return this.#compare(depth + 1);
  }
  #compare(depth: number): ConditionNode {
    const left = this.#primary(depth + 1);
    const token = this.#peek();
    if (token.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(token.text)) {
      this.#position++;
      return {
        kind: 'compare',
        operator: token.text as CompareOperator,
        left,
        right: this.#primary(depth + 1),
      };
    }
    return left;
  }
  #primary(depth: number): ConditionNode {
    this.#depth(depth);
    const token = this.#peek();
    this.#position++;
    switch (token.kind) {
      case 'value':
        return { kind: 'literal', value: token.value };
      case 'variable':
        return { kind: 'variable', name: token.name };
      case 'op':
        if (token.text === '(') {
          const inner = this.#or(depth + 1);
          if (!this.#isOp(')')) throw new ConditionSyntaxError('missing )');
          this.#position++;
          return inner;
        }
        throw new ConditionSyntaxError(`unexpected '${token.text}'`);
      case 'end':
        throw new ConditionSyntaxError('the condition ends too early');
    }
  }
}

/** Parses a condition; throws `ConditionSyntaxError` with the reason. */
export function parseCondition(text: string): ConditionNode {
  return new ConditionParser(tokenize(text)).parse();
}

/** The variables a condition reads. */
export function conditionVariables(node: ConditionNode): string[] {
  const names: string[] = [];
  const stack: ConditionNode[] = [node];
  while (stack.length > 0) {
    const next = stack.pop()!;
    switch (next.kind) {
      case 'literal':
        break;
      case 'variable':
        names.push(next.name);
        break;
      case 'not':
        stack.push(next.operand);
        break;
      case 'logical':
      case 'compare':
        stack.push(next.left, next.right);
        break;
    }
  }
  return names;
}

const truthy = (value: ConditionValue): boolean =>
  value !== null && value !== false && value !== 0 && value !== '';

/** A number for a number or a numeric string, else undefined. */
function numeric(value: ConditionValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

function equal(a: ConditionValue, b: ConditionValue): boolean {
  if (a === b) return true;
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return x === y;
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b;
  if (typeof b === 'boolean' && typeof a === 'string') return String(b) === a;
  return false;
}

/** Evaluates a parsed condition; a variable not set reads as null. */
export function evaluateCondition(
  node: ConditionNode,
  variables: Readonly<Record<string, ConditionValue>>,
): ConditionValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'variable':
      return Object.hasOwn(variables, node.name) ? (variables[node.name] ?? null) : null;
    case 'not':
      return !truthy(evaluateCondition(node.operand, variables));
    case 'logical': {
      const left = truthy(evaluateCondition(node.left, variables));
      if (node.operator === 'and') return left && truthy(evaluateCondition(node.right, variables));
      return left || truthy(evaluateCondition(node.right, variables));
    }
    case 'compare': {
      const a = evaluateCondition(node.left, variables);
      const b = evaluateCondition(node.right, variables);
      switch (node.operator) {
        case '==':
          return equal(a, b);
        case '!=':
          return !equal(a, b);
        default: {
          const x = numeric(a);
          const y = numeric(b);
          if (x === undefined || y === undefined) return false;
          if (node.operator === '<') return x < y;
          if (node.operator === '<=') return x <= y;
          if (node.operator === '>') return x > y;
          return x >= y;
        }
      }
    }
  }
}

export const isTruthy = truthy;
