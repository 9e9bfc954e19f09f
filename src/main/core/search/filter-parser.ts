import { EmbeddedActionsParser, Lexer, createToken, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import { ATTRIBUTES, filterError, resolveField, unquote, type Clause, type CompareOp, type FieldRef, type Filter } from './filter-ast';

/**
 * MLflow's run-search filter grammar, parsed with chevrotain (a real LL(k) parser; no regular
 * expressions over the whole string, no string-built SQL downstream):
 *
 *   filter     := [ clause { AND clause } ]
 *   clause     := IDENT ( COMPARATOR value
 *                       | [NOT] (LIKE | ILIKE) STRING
 *                       | [NOT] IN '(' value { ',' value } ')'
 *                       | IS [NOT] NULL )
 *   value      := STRING | NUMBER
 *
 * Keywords are case-insensitive (`and`, `like`, `is not null`). Strings take single or double
 * quotes (`'it''s'`, `"a\"b"`). Every error is LatheError INVALID_PARAMETER_VALUE naming the
 * 1-based position and the text there, e.g. "Invalid filter at position 11 near '<<< 1':
 * invalid comparator '<<<' not one of =, !=, <, <=, >, >=".
 */

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
/** `prefix.key` with the key plain, `backquoted` or "double-quoted"; or a bare name (`status`). */
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*(?:\.(?:`[^`]*`|"(?:[^"\\]|\\.|"")*"|[A-Za-z0-9_][A-Za-z0-9_.\-/:]*))?/,
});
const keyword = (name: string) => createToken({ name, pattern: new RegExp(`${name}\\b`, 'i'), longer_alt: Identifier });
export const And = keyword('AND');
const Or = keyword('OR');
const Not = keyword('NOT');
const Like = keyword('LIKE');
const ILike = keyword('ILIKE');
const In = keyword('IN');
const Is = keyword('IS');
const Null = keyword('NULL');
export const Asc = keyword('ASC');
export const Desc = keyword('DESC');
const StringLiteral = createToken({ name: 'StringLiteral', pattern: /'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"/ });
const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/ });
/** Any run of comparator characters, checked afterwards so `<<<` is reported as one bad comparator. */
const Comparator = createToken({ name: 'Comparator', pattern: /[<>=!]+/ });
const LParen = createToken({ name: 'LParen', pattern: /\(/ });
const RParen = createToken({ name: 'RParen', pattern: /\)/ });
const Comma = createToken({ name: 'Comma', pattern: /,/ });

const ALL_TOKENS: TokenType[] = [WhiteSpace, And, Or, ILike, Like, Not, In, Is, Null, Asc, Desc, Identifier, StringLiteral, NumberLiteral, Comparator, LParen, RParen, Comma];
export const filterLexer = new Lexer(ALL_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: false });

const COMPARATORS: readonly CompareOp[] = ['=', '!=', '<', '<=', '>', '>='];
const EXPECT_IDENT = "expected a field such as metrics.<key>, params.<key>, tags.<key> or attributes.<name>";
const EXPECT_OP = 'expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL)';

/** A clause as parsed, before the field and value are checked against a kind of entity. */
export interface RawClause {
  ident: IToken;
  form: 'compare' | 'like' | 'in' | 'null';
  op?: IToken;
  negated: boolean;
  values: IToken[];
}

class FilterParser extends EmbeddedActionsParser {
  constructor() {
    super(ALL_TOKENS, { maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  filter = this.RULE('filter', (): RawClause[] => {
    const clauses: RawClause[] = [];
    this.OPTION(() => {
      clauses.push(this.SUBRULE(this.clause));
      this.MANY(() => {
        this.CONSUME(And, { ERR_MSG: "expected AND between clauses (MLflow filters join clauses with AND only)" });
        clauses.push(this.SUBRULE2(this.clause));
      });
    });
    return clauses;
  });

  clause = this.RULE('clause', (): RawClause => {
    const ident = this.CONSUME(Identifier, { ERR_MSG: EXPECT_IDENT });
    return this.OR({
      ERR_MSG: EXPECT_OP,
      DEF: [
        {
          ALT: () => {
            const op = this.CONSUME(Comparator);
            const value = this.SUBRULE(this.value);
            return { ident, form: 'compare' as const, op, negated: false, values: [value] };
          },
        },
        {
          ALT: () => {
            let negated = false;
            this.OPTION2(() => {
              this.CONSUME(Not);
              negated = true;
            });
            return this.OR2({
              ERR_MSG: 'expected LIKE, ILIKE or IN after NOT',
              DEF: [
                {
                  ALT: () => {
                    const op = this.OR3([{ ALT: () => this.CONSUME(Like) }, { ALT: () => this.CONSUME(ILike) }]);
                    const pattern = this.CONSUME(StringLiteral, { ERR_MSG: `expected a quoted pattern after ${negated ? 'NOT ' : ''}LIKE/ILIKE, e.g. 'abc%'` });
                    return { ident, form: 'like' as const, op, negated, values: [pattern] };
                  },
                },
                {
                  ALT: () => {
                    this.CONSUME(In);
                    this.CONSUME(LParen, { ERR_MSG: "expected '(' after IN, e.g. IN ('a', 'b')" });
                    const values: IToken[] = [];
                    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => values.push(this.SUBRULE2(this.value)), ERR_MSG: 'expected a quoted value in the IN list' });
                    this.CONSUME(RParen, { ERR_MSG: "expected ',' or ')' in the IN list" });
                    return { ident, form: 'in' as const, negated, values };
                  },
                },
              ],
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(Is);
            let negated = false;
            this.OPTION3(() => {
              this.CONSUME2(Not);
              negated = true;
            });
            this.CONSUME(Null, { ERR_MSG: 'expected NULL after IS / IS NOT' });
            return { ident, form: 'null' as const, negated, values: [] };
          },
        },
      ],
    });
  });

  value = this.RULE('value', (): IToken => this.OR({
    ERR_MSG: "expected a value: a quoted string ('abc') or a number",
    DEF: [{ ALT: () => this.CONSUME(StringLiteral) }, { ALT: () => this.CONSUME(NumberLiteral) }],
  }));
}

const parser = new FilterParser();

/**
 * Splits `source` into tokens.
 * @throws LatheError INVALID_PARAMETER_VALUE at the first character no token starts with.
 */
export function tokenize(source: string, what = 'filter'): IToken[] {
  const lexed = filterLexer.tokenize(source);
  const err = lexed.errors[0];
  if (err) {
    const ch = source[err.offset] ?? '';
    const reason =
      ch === "'" || ch === '"' ? `unterminated string starting with ${ch}` :
      ch === '`' || (ch === '.' && source[err.offset + 1] === '`') ? 'unterminated backquoted key' :
      /\.\s*$/.test(source.slice(0, err.offset)) || ch === '.' ? 'expected a key after the dot (quote keys with spaces or symbols in backquotes: metrics.`val loss`)' :
      `unexpected character '${ch}'`;
    throw filterError(source, err.offset, ch, reason, what);
  }
  return lexed.tokens;
}

/** The position (0-based) and text of a recognition error; EOF is the end of the source. */
function errorSpot(source: string, e: IRecognitionException): { offset: number; token: string } {
  const t = e.token;
  return Number.isFinite(t.startOffset) && t.tokenType.name !== 'EOF' ? { offset: t.startOffset, token: t.image } : { offset: source.length, token: '' };
}

function expectString(source: string, field: FieldRef, t: IToken, example: string): string {
  if (t.tokenType !== StringLiteral) {
    throw filterError(source, t.startOffset, t.image, `${field.text} holds strings: quote the value, e.g. ${example}`);
  }
  return unquote(t.image);
}

function isNumericField(f: FieldRef): boolean {
  return f.entity === 'metric' || (f.entity === 'attribute' && ATTRIBUTES[f.key]!.kind === 'number');
}

/** Checks a raw clause against the field's type and builds the typed clause. */
function toClause(source: string, raw: RawClause): Clause {
  const field = resolveField(source, raw.ident.image, raw.ident.startOffset);
  const numeric = isNumericField(field);
  const example = field.entity === 'attribute' ? `${field.text} = 'FINISHED'` : `${field.text} = 'abc'`;
  switch (raw.form) {
    case 'compare': {
      const opTok = raw.op!;
      const op = opTok.image === '==' ? '=' : opTok.image === '<>' ? '!=' : (opTok.image as CompareOp);
      if (!COMPARATORS.includes(op)) {
        throw filterError(source, opTok.startOffset, opTok.image, `invalid comparator '${opTok.image}' not one of ${COMPARATORS.join(', ')}`);
      }
      const v = raw.values[0]!;
      if (numeric) {
        if (v.tokenType !== NumberLiteral) {
          throw filterError(source, v.startOffset, v.image, `${field.text} is a number: compare it with a number, e.g. ${field.text} ${op} 0.5`);
        }
        return { kind: 'compare', field, op, value: Number(v.image) };
      }
      if (op !== '=' && op !== '!=') {
        throw filterError(source, opTok.startOffset, opTok.image, `${field.text} holds strings and takes =, !=, LIKE, ILIKE, IN, NOT IN (not '${op}')`);
      }
      return { kind: 'compare', field, op, value: expectString(source, field, v, example) };
    }
    case 'like':
    case 'in': {
      if (numeric) {
        const word = raw.form === 'like' ? raw.op!.image.toUpperCase() : 'IN';
        const at = raw.op ?? raw.values[0]!;
        throw filterError(source, at.startOffset, at.image, `${field.text} is a number and takes =, !=, <, <=, >, >= (not ${word})`);
      }
      if (raw.form === 'like') {
        return { kind: 'like', field, op: raw.op!.image.toUpperCase() as 'LIKE' | 'ILIKE', negated: raw.negated, pattern: expectString(source, field, raw.values[0]!, `${field.text} LIKE 'abc%'`) };
      }
      return { kind: 'in', field, negated: raw.negated, values: raw.values.map((v) => expectString(source, field, v, `${field.text} IN ('a', 'b')`)) };
    }
    case 'null':
      if (field.entity === 'attribute' && field.key !== 'end_time') {
        throw filterError(source, field.offset, field.text, `${field.text} is never NULL; IS NULL applies to metrics, params, tags and end_time`);
      }
      return { kind: 'null', field, negated: raw.negated };
  }
}

/**
 * The syntax layer alone: `source` split into clauses, each field and value still as written.
 * Runs (below) and the model registry (registry/search-filter.ts) resolve fields their own way.
 * @throws LatheError INVALID_PARAMETER_VALUE naming the position and the text there.
 */
export function parseRawClauses(text: string): RawClause[] {
  parser.input = tokenize(text);
  const raw = parser.filter();
  const err = parser.errors[0];
  if (err) {
    const spot = errorSpot(text, err);
    // chevrotain words custom messages as "Expecting: <ERR_MSG>\nbut found: '…'"; the position says where.
    let reason = err.message.replace(/^Expecting:\s*/, '').replace(/\s*but found:[\s\S]*$/, '');
    if (/^or$/i.test(spot.token)) reason = 'OR is not supported: MLflow filters join clauses with AND only (run two searches instead)';
    else if (err.name === 'NotAllInputParsedException') {
      reason = raw.length ? 'expected AND between clauses (MLflow filters join clauses with AND only)' : EXPECT_IDENT;
    }
    else if (spot.token === '' && reason.startsWith('expected a field')) reason = 'the filter ends after AND; add a clause or remove the AND';
    throw filterError(text, spot.offset, spot.token, reason);
  }
  return raw;
}

/** Whether a value token is a quoted string (else a number). */
export function isStringToken(t: IToken): boolean {
  return t.tokenType === StringLiteral;
}

/**
 * Parses a run-search filter (MLflow grammar, see the module comment). Empty or blank
 * filters match every run.
 * @throws LatheError INVALID_PARAMETER_VALUE naming the position and the text there.
 */
export function parseFilter(source: string | undefined | null): Filter {
  const text = source ?? '';
  if (text.trim() === '') return { clauses: [] };
  return { clauses: parseRawClauses(text).map((r) => toClause(text, r)) };
}
