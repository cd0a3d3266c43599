/**
 * The Segspec grammar (SPEC §4–5) as a chevrotain CstParser.
 *
 * The parser builds a concrete syntax tree; `ast-builder.ts` turns it into the
 * typed AST. Property values that are a single name or string are optional in
 * the grammar so that a half-typed property (`from` at the end of a line)
 * does not swallow the next property keyword; the builder reports them.
 */
import { CstParser, type IToken, type TokenType } from 'chevrotain';
import { errorRecorder } from './errors.js';
import * as t from './tokens.js';
import { suggest } from '../util/suggest.js';

/** Tokens that may follow a complete operand inside an expression. */
/** Words written for `and` in `between A and B`. */
export const betweenMistakes = new Set(['to', 'through', 'until', 'till']);

const operandFollowers = new Set<TokenType>([
  t.EqEq, t.NotEq, t.LtEq, t.GtEq, t.Lt, t.Gt, t.SingleEq,
  t.Plus, t.Minus, t.Star, t.Slash,
  t.And, t.Or, t.Not, t.In, t.Between, t.Contains, t.Starts, t.Ends, t.Matches,
  t.Is, t.Within, t.Before, t.After,
  t.RParen, t.RBracket, t.RCurly, t.Comma, t.LParen, t.Warn,
]);

/** Tokens after which an expression goes on, even across a line break. */
const continuesLine = new Set<TokenType>([
  t.EqEq, t.NotEq, t.LtEq, t.GtEq, t.Lt, t.Gt, t.SingleEq,
  t.Plus, t.Minus, t.Star, t.Slash,
  t.And, t.Or, t.Not, t.In, t.Between, t.Contains, t.Any, t.All, t.With, t.Matches,
  t.Is, t.Within, t.Last, t.Before, t.After,
  t.LParen, t.LBracket, t.LCurly, t.Comma, t.Colon,
]);

/** `wher`, `were`, `whre`: close enough to `where` to be read as it (and reported). */
function closeToWhere(word: string): boolean {
  return word !== 'where' && suggest(word, ['where']).length > 0;
}

export function hasCategory(token: IToken, category: TokenType): boolean {
  const categories = token.tokenType.CATEGORIES;
  return categories !== undefined && categories.includes(category);
}

function isPropertyKeyword(token: IToken): boolean {
  return hasCategory(token, t.PropertyKeyword);
}

export class SegspecParser extends CstParser {
  constructor() {
    super(t.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: 'onlyOffset',
      errorMessageProvider: errorRecorder,
    });
    this.performSelfAnalysis();
  }

  /**
   * True when the next token is a property keyword that starts a property
   * rather than being used as a name (`where kind == "x"` uses `kind` as a
   * field; `where age <` followed by `expect size …` must not).
   */
  private startsProperty(): boolean {
    const first = this.LA(1);
    if (!isPropertyKeyword(first)) return false;
    const second = this.LA(2).tokenType;
    if (second === t.As || first.tokenType === t.As) return second === t.Of;
    return !operandFollowers.has(second) && second.name !== 'EOF';
  }

  private readonly nameGate = (): boolean => !this.startsProperty();
  /** `to` (or `through`, `until`) where `between … and …` needs `and`. */
  private readonly wrongAndGate = (): boolean => betweenMistakes.has(this.LA(1).image);

  /** `segment name {` or `segment name "title"`: a new declaration (a `}` was forgotten). */
  private startsDeclaration(): boolean {
    if (!hasCategory(this.LA(1), t.DeclarationKeyword) || !hasCategory(this.LA(2), t.Name)) return false;
    const third = this.LA(3);
    return third.tokenType === t.LCurly || hasCategory(third, t.StringToken);
  }

  private readonly notDeclarationStart = (): boolean => !this.startsDeclaration();

  public file = this.RULE('file', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.datasetDecl) },
        { ALT: () => this.SUBRULE(this.segmentDecl) },
        { ALT: () => this.SUBRULE(this.personaDecl) },
        { ALT: () => this.SUBRULE(this.partitionDecl) },
        { ALT: () => this.SUBRULE(this.flagDecl) },
      ]);
    });
  });

  private declarationHead(): void {
    this.OPTION({
      GATE: () => this.LA(1).tokenType !== t.LCurly,
      DEF: () => this.CONSUME(t.Name, { LABEL: 'name' }),
    });
    this.OPTION2(() => this.CONSUME(t.StringToken, { LABEL: 'title' }));
    this.CONSUME(t.LCurly);
  }

  public datasetDecl = this.RULE('datasetDecl', () => {
    this.CONSUME(t.Dataset, { LABEL: 'keyword' });
    this.declarationHead();
    this.MANY({
      GATE: this.notDeclarationStart,
      DEF: () => {
      this.OR([
        { ALT: () => this.SUBRULE(this.stringProp) },
        { ALT: () => this.SUBRULE(this.nameProp) },
        { ALT: () => this.SUBRULE(this.asOfProp) },
        { ALT: () => this.SUBRULE(this.fieldsProp) },
        { ALT: () => this.SUBRULE(this.listProp) },
        { ALT: () => this.SUBRULE(this.belongsProp) },
        this.unknownPropAlt,
      ]);
      },
    });
    this.CONSUME(t.RCurly);
  });

  public segmentDecl = this.RULE('segmentDecl', () => {
    this.CONSUME(t.Segment, { LABEL: 'keyword' });
    this.declarationHead();
    this.MANY({
      GATE: this.notDeclarationStart,
      DEF: () => {
      this.OR([
        { ALT: () => this.SUBRULE(this.stringProp) },
        { ALT: () => this.SUBRULE(this.nameProp) },
        { ALT: () => this.SUBRULE(this.whereProp) },
        { ALT: () => this.SUBRULE(this.expectProp) },
        { ALT: () => this.SUBRULE(this.exampleProp) },
        { ALT: () => this.SUBRULE(this.listProp) },
        this.unknownPropAlt,
      ]);
      },
    });
    this.CONSUME(t.RCurly);
  });

  public personaDecl = this.RULE('personaDecl', () => {
    this.CONSUME(t.Persona, { LABEL: 'keyword' });
    this.declarationHead();
    this.MANY({
      GATE: this.notDeclarationStart,
      DEF: () => {
      this.OR([
        { ALT: () => this.SUBRULE(this.stringProp) },
        { ALT: () => this.SUBRULE(this.segmentRefProp) },
        { ALT: () => this.SUBRULE(this.profileProp) },
        { ALT: () => this.SUBRULE(this.listProp) },
        this.unknownPropAlt,
      ]);
      },
    });
    this.CONSUME(t.RCurly);
  });

  public partitionDecl = this.RULE('partitionDecl', () => {
    this.CONSUME(t.Partition, { LABEL: 'keyword' });
    this.declarationHead();
    this.MANY({
      GATE: this.notDeclarationStart,
      DEF: () => {
      this.OR([
        { ALT: () => this.SUBRULE(this.stringProp) },
        { ALT: () => this.SUBRULE(this.listProp) },
        { ALT: () => this.SUBRULE(this.flagProp) },
        this.unknownPropAlt,
      ]);
      },
    });
    this.CONSUME(t.RCurly);
  });

  public flagDecl = this.RULE('flagDecl', () => {
    this.CONSUME(t.Flag, { LABEL: 'keyword' });
    this.declarationHead();
    this.MANY({
      GATE: this.notDeclarationStart,
      DEF: () => {
      this.OR([
        { ALT: () => this.SUBRULE(this.stringProp) },
        { ALT: () => this.SUBRULE(this.flagKeyProp) },
        { ALT: () => this.SUBRULE(this.flagExpectProp) },
        { IGNORE_AMBIGUITIES: true, GATE: this.flagWordGate, ALT: () => this.SUBRULE(this.flagWordProp) },
        this.unknownPropAlt,
      ]);
      },
    });
    this.CONSUME(t.RCurly);
  });

  // ------------------------------------------------------------ properties

  /**
   * A word that is not a property of this declaration (`wher`, or `where` in
   * a persona). Its value is skipped up to the next property, the closing
   * brace or a new line that starts with a name, so that one typo costs one
   * error. The builder reports it with a did-you-mean.
   */
  public unknownProp = this.RULE('unknownProp', () => {
    this.CONSUME(t.Name, { LABEL: 'keyword' });
    this.ACTION(() => this.skipUnknownValue());
  });

  private readonly unknownPropAlt = {
    IGNORE_AMBIGUITIES: true,
    GATE: this.notDeclarationStart,
    ALT: () => this.SUBRULE(this.unknownProp),
  };

  private skipUnknownValue(): void {
    let depth = 0;
    for (;;) {
      const next = this.LA(1);
      const type = next.tokenType;
      if (type.name === 'EOF') return;
      if (depth === 0) {
        if (type === t.RCurly || this.startsDeclaration() || this.startsProperty()) return;
        if (hasCategory(next, t.Name) && this.onNewLine(next) && !continuesLine.has(this.LA(0).tokenType)) return;
      }
      if (type === t.LCurly || type === t.LBracket || type === t.LParen) depth++;
      else if ((type === t.RCurly || type === t.RBracket || type === t.RParen) && depth > 0) depth--;
      this.SKIP_TOKEN();
    }
  }

  /** The text being parsed, for line-based recovery heuristics. */
  source = '';

  private onNewLine(token: IToken): boolean {
    const previous = this.LA(0);
    const from = previous.startOffset + previous.image.length;
    return this.source.slice(from, token.startOffset).includes('\n');
  }

  /** `source "…"`, `table "…"`, `description "…"`, `owner "…"`, `quote "…"` */
  public stringProp = this.RULE('stringProp', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.Source, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.Table, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.UnitWord, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.Description, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.Owner, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.Quote, { LABEL: 'keyword' }) },
    ]);
    this.OPTION(() => this.CONSUME(t.StringToken, { LABEL: 'value' }));
  });

  /** `key id`, `kind behavioral`, `from users` */
  public nameProp = this.RULE('nameProp', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.Key, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.Kind, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.From, { LABEL: 'keyword' }) },
    ]);
    this.OPTION({ GATE: this.nameGate, DEF: () => this.CONSUME(t.Name, { LABEL: 'value' }) });
  });

  /** A persona's `segment freelancers` (kept apart: `segment` also starts a declaration). */
  public segmentRefProp = this.RULE('segmentRefProp', () => {
    this.CONSUME(t.Segment, { LABEL: 'keyword' });
    this.OPTION({ GATE: this.nameGate, DEF: () => this.CONSUME(t.Name, { LABEL: 'value' }) });
  });

  /** `belongs to PARENT by FIELD` (SPEC §11); the builder reports the parts left out. */
  public belongsProp = this.RULE('belongsProp', () => {
    this.CONSUME(t.Belongs, { LABEL: 'keyword' });
    this.OR([
      { ALT: () => this.CONSUME(t.To, { LABEL: 'to' }) },
      // `belongs too users by id`: a misspelt `to`, reported by the builder.
      { GATE: this.misspeltToGate, ALT: () => this.CONSUME3(t.Name, { LABEL: 'wrongTo' }) },
      { ALT: () => undefined },
    ]);
    this.OPTION2({ GATE: this.belongsNameGate, DEF: () => this.CONSUME(t.Name, { LABEL: 'parent' }) });
    this.OPTION3(() => {
      this.CONSUME(t.By, { LABEL: 'by' });
      this.OPTION4({ GATE: this.nameGate, DEF: () => this.CONSUME2(t.Name, { LABEL: 'field' }) });
    });
  });

  /** A word in place of `to`, followed by the parent's name. */
  private readonly misspeltToGate = (): boolean =>
    this.LA(1).tokenType !== t.By && hasCategory(this.LA(1), t.Name) && hasCategory(this.LA(2), t.Name) && this.LA(2).tokenType !== t.By && !this.startsProperty();

  private readonly misspeltWhereGate = (): boolean =>
    this.LA(1).tokenType !== t.Where && hasCategory(this.LA(1), t.Name) && closeToWhere(this.LA(1).image);

  /** The parent's name: not `by` (the parent left out) nor the next property. */
  private readonly belongsNameGate = (): boolean => this.LA(1).tokenType !== t.By && !this.startsProperty();

  public asOfProp = this.RULE('asOfProp', () => {
    this.CONSUME(t.As, { LABEL: 'keyword' });
    this.CONSUME(t.Of, { LABEL: 'keyword2' });
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.DateLiteral, { LABEL: 'value' }) },
        { ALT: () => this.CONSUME(t.DateTimeToken, { LABEL: 'value' }) },
      ]);
    });
  });

  public fieldsProp = this.RULE('fieldsProp', () => {
    this.CONSUME(t.Fields, { LABEL: 'keyword' });
    this.CONSUME(t.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.fieldDecl);
      this.OPTION(() => this.CONSUME(t.Comma));
    });
    this.CONSUME(t.RCurly);
  });

  /** `name: type`, `seats: integer?`, `plan: enum("a", "b")`, `tags: list<string>` */
  public fieldDecl = this.RULE('fieldDecl', () => {
    this.CONSUME(t.Name, { LABEL: 'name' });
    this.CONSUME(t.Colon);
    this.CONSUME2(t.Name, { LABEL: 'typeName' });
    this.OPTION(() => {
      this.CONSUME(t.LParen);
      this.OPTION2(() => {
        this.CONSUME(t.StringToken, { LABEL: 'enumValue' });
        this.MANY({
          GATE: () => this.LA(2).tokenType !== t.RParen,
          DEF: () => {
            this.CONSUME(t.Comma);
            this.CONSUME2(t.StringToken, { LABEL: 'enumValue' });
          },
        });
        this.OPTION3(() => this.CONSUME2(t.Comma));
      });
      this.CONSUME(t.RParen);
    });
    this.OPTION4(() => {
      this.CONSUME(t.Lt);
      this.CONSUME3(t.Name, { LABEL: 'elementType' });
      this.CONSUME(t.Gt);
    });
    this.OPTION5(() => this.CONSUME(t.Question, { LABEL: 'optional' }));
  });

  public whereProp = this.RULE('whereProp', () => {
    this.CONSUME(t.Where, { LABEL: 'keyword' });
    this.SUBRULE(this.expr, { LABEL: 'value' });
  });

  public expectProp = this.RULE('expectProp', () => {
    this.CONSUME(t.Expect, { LABEL: 'keyword' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Size, { LABEL: 'form' });
          this.OPTION4(() => this.SUBRULE(this.bound));
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Share, { LABEL: 'form' });
          this.CONSUME(t.LParen);
          this.SUBRULE(this.expr, { LABEL: 'arg' });
          this.CONSUME(t.RParen);
          this.OPTION5(() => this.SUBRULE2(this.bound));
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Disjoint, { LABEL: 'form' });
          this.OPTION({ GATE: this.nameGate, DEF: () => this.CONSUME(t.Name, { LABEL: 'segment' }) });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Overlap, { LABEL: 'form' });
          this.CONSUME2(t.LParen);
          this.CONSUME2(t.Name, { LABEL: 'segment' });
          this.CONSUME2(t.RParen);
          this.OPTION6(() => this.SUBRULE3(this.bound));
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Subset, { LABEL: 'form' });
          this.OPTION7(() => this.CONSUME(t.Of, { LABEL: 'of' }));
          this.OPTION2({ GATE: this.nameGate, DEF: () => this.CONSUME3(t.Name, { LABEL: 'segment' }) });
        },
      },
      {
        // mean(x), median(x), min(x), max(x), p90(x): the name is checked later.
        IGNORE_AMBIGUITIES: true,
        ALT: () => {
          this.CONSUME4(t.Name, { LABEL: 'form' });
          this.CONSUME3(t.LParen);
          this.SUBRULE2(this.expr, { LABEL: 'arg' });
          this.CONSUME3(t.RParen);
          this.OPTION8(() => this.SUBRULE4(this.bound));
        },
      },
    ]);
    this.OPTION3(() => this.CONSUME(t.Warn, { LABEL: 'warn' }));
  });

  /** `>= 5%`, `between 8% and 20%` */
  public bound = this.RULE('bound', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.CompareOperator, { LABEL: 'op' });
          this.SUBRULE(this.quantity, { LABEL: 'value' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Between, { LABEL: 'between' });
          this.SUBRULE2(this.quantity, { LABEL: 'low' });
          this.OR2([
            { ALT: () => this.CONSUME(t.And, { LABEL: 'and' }) },
            { GATE: this.wrongAndGate, ALT: () => this.CONSUME(t.Name, { LABEL: 'wrongAnd' }) },
          ]);
          this.SUBRULE3(this.quantity, { LABEL: 'high' });
        },
      },
    ]);
  });

  public quantity = this.RULE('quantity', () => {
    this.OPTION(() => this.CONSUME(t.Minus, { LABEL: 'minus' }));
    this.OR([
      { ALT: () => this.CONSUME(t.NumberLiteral, { LABEL: 'value' }) },
      { ALT: () => this.CONSUME(t.PercentLiteral, { LABEL: 'value' }) },
    ]);
  });

  public exampleProp = this.RULE('exampleProp', () => {
    this.CONSUME(t.Example, { LABEL: 'keyword' });
    // Any name is accepted here so that a misspelt `member` keeps its record;
    // the builder reports it.
    this.OPTION(() => this.CONSUME(t.Name, { LABEL: 'which' }));
    this.SUBRULE(this.record, { LABEL: 'value' });
  });

  public profileProp = this.RULE('profileProp', () => {
    this.CONSUME(t.Profile, { LABEL: 'keyword' });
    this.SUBRULE(this.record, { LABEL: 'value' });
  });

  /** `tags [..]`, `goals [..]`, … `segments [..]` */
  public listProp = this.RULE('listProp', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.Tags, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.Goals, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.Pains, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.Jobs, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.Channels, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.Segments, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.Missing, { LABEL: 'keyword' }) },
    ]);
    this.SUBRULE(this.list, { LABEL: 'value' });
  });

  public flagProp = this.RULE('flagProp', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.Exclusive, { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(t.Exhaustive, { LABEL: 'keyword' }) },
    ]);
  });

  private readonly flagWordGate = (): boolean => t.isFlagWord(this.LA(1).image);
  /** `system` with its value missing must not take the next property's word (`for`) as its value. */
  private readonly flagValueGate = (): boolean => this.nameGate() && !this.flagWordGate();

  /** A flag's `key "smart-reschedule"`: the key is a text, since flag systems allow `-` and `.` in keys. */
  public flagKeyProp = this.RULE('flagKeyProp', () => {
    this.CONSUME(t.Key, { LABEL: 'keyword' });
    this.OPTION(() => this.CONSUME(t.StringToken, { LABEL: 'value' }));
  });

  /** `expect reach >= 95%`, `expect leak == 0 warn` */
  public flagExpectProp = this.RULE('flagExpectProp', () => {
    this.CONSUME(t.Expect, { LABEL: 'keyword' });
    this.OPTION({ GATE: this.nameGate, DEF: () => this.CONSUME(t.Name, { LABEL: 'form' }) });
    this.OPTION2(() => this.SUBRULE(this.bound));
    this.OPTION3(() => this.CONSUME(t.Warn, { LABEL: 'warn' }));
  });

  /** `system growthbook`, `for students`, `for [a, b]`, `context { id: user_id, plan }` */
  public flagWordProp = this.RULE('flagWordProp', () => {
    this.CONSUME(t.Name, { LABEL: 'keyword' });
    this.OPTION(() => {
      this.OR([
        { GATE: this.flagValueGate, ALT: () => this.CONSUME2(t.Name, { LABEL: 'value' }) },
        { ALT: () => this.SUBRULE(this.list, { LABEL: 'list' }) },
        { ALT: () => this.SUBRULE(this.contextMap, { LABEL: 'map' }) },
      ]);
    });
  });

  /** `{ id: user_id, plan }`: attribute, then the field it is read from when the names differ. */
  public contextMap = this.RULE('contextMap', () => {
    this.CONSUME(t.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.contextEntry);
      this.OPTION(() => this.CONSUME(t.Comma));
    });
    this.CONSUME(t.RCurly);
  });

  public contextEntry = this.RULE('contextEntry', () => {
    this.CONSUME(t.Name, { LABEL: 'attribute' });
    this.OPTION(() => {
      this.CONSUME(t.Colon);
      this.OPTION2(() => this.CONSUME2(t.Name, { LABEL: 'field' }));
    });
  });

  public record = this.RULE('record', () => {
    this.CONSUME(t.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.recordEntry);
      this.OPTION(() => this.CONSUME(t.Comma));
    });
    this.CONSUME(t.RCurly);
  });

  public recordEntry = this.RULE('recordEntry', () => {
    this.CONSUME(t.Name, { LABEL: 'key' });
    this.CONSUME(t.Colon);
    this.OR([
      // `survey: { nps: 9 }`: one related row (SPEC §11).
      { ALT: () => this.SUBRULE(this.record, { LABEL: 'row' }) },
      // `plays: [{ … }, { … }]`: related rows.
      {
        GATE: () => this.LA(2).tokenType === t.LCurly,
        ALT: () => {
          this.CONSUME(t.LBracket, { LABEL: 'rowsOpen' });
          this.SUBRULE2(this.record, { LABEL: 'row' });
          this.MANY({
            GATE: () => this.LA(2).tokenType === t.LCurly,
            DEF: () => {
              this.CONSUME(t.Comma);
              this.SUBRULE3(this.record, { LABEL: 'row' });
            },
          });
          this.OPTION(() => this.CONSUME2(t.Comma));
          this.CONSUME(t.RBracket);
        },
      },
      { ALT: () => this.SUBRULE(this.expr, { LABEL: 'value' }) },
    ]);
  });

  // ------------------------------------------------------------ expressions

  // The expression grammar is flattened into four rules (expr, predicate,
  // arith, operand) because building CST nodes is most of the parse time;
  // the builder restores the precedence of `and` over `or` and of `*` `/`
  // over `+` `-`.

  /** predicate (("and" | "or") predicate)* */
  public expr = this.RULE('expr', () => {
    this.SUBRULE(this.predicate, { LABEL: 'operand' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.And, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.Or, { LABEL: 'op' }) },
      ]);
      this.SUBRULE2(this.predicate, { LABEL: 'operand' });
    });
  });

  /** "not"* arith (cmp arith | "in" list | "between" … )? */
  public predicate = this.RULE('predicate', () => {
    this.MANY(() => this.CONSUME(t.Not, { LABEL: 'negation' }));
    this.SUBRULE(this.arith, { LABEL: 'subject' });
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(t.CompareOperator, { LABEL: 'op' });
            this.SUBRULE2(this.arith, { LABEL: 'value' });
          },
        },
        {
          ALT: () => {
            this.OPTION2(() => this.CONSUME2(t.Not, { LABEL: 'not' }));
            this.CONSUME(t.In, { LABEL: 'op' });
            this.SUBRULE(this.list, { LABEL: 'list' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Between, { LABEL: 'op' });
            this.SUBRULE3(this.arith, { LABEL: 'low' });
            this.OR5([
              { ALT: () => this.CONSUME(t.And, { LABEL: 'and' }) },
              // `between 18 to 29`: read as meant, reported once by the builder.
              { GATE: this.wrongAndGate, ALT: () => this.CONSUME2(t.Name, { LABEL: 'wrongAnd' }) },
            ]);
            this.SUBRULE4(this.arith, { LABEL: 'high' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Contains, { LABEL: 'op' });
            this.OPTION3(() => {
              this.OR2([
                { ALT: () => this.CONSUME(t.Any, { LABEL: 'mode' }) },
                { ALT: () => this.CONSUME(t.All, { LABEL: 'mode' }) },
              ]);
            });
            this.SUBRULE5(this.arith, { LABEL: 'value' });
          },
        },
        {
          ALT: () => {
            this.OR3([
              { ALT: () => this.CONSUME(t.Starts, { LABEL: 'op' }) },
              { ALT: () => this.CONSUME(t.Ends, { LABEL: 'op' }) },
            ]);
            this.CONSUME(t.With, { LABEL: 'with' });
            this.SUBRULE6(this.arith, { LABEL: 'value' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Matches, { LABEL: 'op' });
            this.CONSUME(t.StringToken, { LABEL: 'pattern' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Is, { LABEL: 'op' });
            this.OPTION4(() => this.CONSUME3(t.Not, { LABEL: 'not' }));
            this.CONSUME(t.Missing, { LABEL: 'missing' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Within, { LABEL: 'op' });
            this.CONSUME(t.Last, { LABEL: 'last' });
            this.CONSUME(t.NumberLiteral, { LABEL: 'amount' });
            this.CONSUME(t.Unit, { LABEL: 'unit' });
          },
        },
        {
          ALT: () => {
            this.OR4([
              { ALT: () => this.CONSUME(t.Before, { LABEL: 'op' }) },
              { ALT: () => this.CONSUME(t.After, { LABEL: 'op' }) },
            ]);
            this.SUBRULE7(this.arith, { LABEL: 'value' });
          },
        },
      ]);
    });
  });

  /** operand (("+" | "-" | "*" | "/") operand)* */
  public arith = this.RULE('arith', () => {
    this.SUBRULE(this.operand, { LABEL: 'operand' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.Plus, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.Minus, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.Star, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.Slash, { LABEL: 'op' }) },
      ]);
      this.SUBRULE2(this.operand, { LABEL: 'operand' });
    });
  });

  /** "-"* primary */
  public operand = this.RULE('operand', () => {
    this.MANY(() => this.CONSUME(t.Minus, { LABEL: 'minus' }));
    this.OR([
      { ALT: () => this.CONSUME(t.StringToken, { LABEL: 'literal' }) },
      {
        ALT: () => {
          this.CONSUME(t.NumberLiteral, { LABEL: 'amount' });
          this.CONSUME(t.Unit, { LABEL: 'unit' });
          this.CONSUME(t.Ago, { LABEL: 'ago' });
        },
      },
      { ALT: () => this.CONSUME2(t.NumberLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(t.PercentLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(t.DateLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(t.DateTimeToken, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(t.True, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(t.False, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(t.Today, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(t.Now, { LABEL: 'literal' }) },
      {
        ALT: () => {
          this.CONSUME(t.Name, { LABEL: 'callee' });
          this.CONSUME(t.LParen);
          // `count(distinct plays.genre …)`; a field called `distinct` stays a name.
          this.OPTION({
            GATE: () => this.LA(1).tokenType === t.Distinct && this.LA(3).tokenType === t.Dot,
            DEF: () => this.CONSUME(t.Distinct, { LABEL: 'distinct' }),
          });
          // `count(distnct plays.genre)`: a word before `R.f`, reported by the builder.
          this.OPTION4({
            GATE: () => hasCategory(this.LA(1), t.Name) && hasCategory(this.LA(2), t.Name) && this.LA(3).tokenType === t.Dot,
            DEF: () => this.CONSUME5(t.Name, { LABEL: 'wrongDistinct' }),
          });
          this.SUBRULE(this.expr, { LABEL: 'arg' });
          // `count(plays where E)`: the filter of an aggregate over related rows.
          this.OPTION2(() => {
            this.OR2([
              { ALT: () => this.CONSUME(t.Where, { LABEL: 'where' }) },
              // `count(plays wher x > 1)`: a misspelt `where`, reported by the builder.
              { GATE: this.misspeltWhereGate, ALT: () => this.CONSUME6(t.Name, { LABEL: 'where' }) },
            ]);
            this.SUBRULE3(this.expr, { LABEL: 'filter' });
          });
          this.CONSUME(t.RParen);
        },
      },
      {
        // `survey.nps`: a field of a related dataset.
        GATE: () => this.LA(2).tokenType === t.Dot && this.nameGate(),
        ALT: () => {
          this.CONSUME3(t.Name, { LABEL: 'related' });
          this.CONSUME(t.Dot, { LABEL: 'dot' });
          this.OPTION3(() => this.CONSUME4(t.Name, { LABEL: 'relatedField' }));
        },
      },
      { GATE: this.nameGate, ALT: () => this.CONSUME2(t.Name, { LABEL: 'name' }) },
      {
        ALT: () => {
          this.CONSUME2(t.LParen, { LABEL: 'paren' });
          this.SUBRULE2(this.expr, { LABEL: 'inner' });
          this.CONSUME2(t.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.list, { LABEL: 'list' }) },
    ]);
  });

  public list = this.RULE('list', () => {
    this.CONSUME(t.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expr, { LABEL: 'item' });
      this.MANY({
        GATE: () => this.LA(2).tokenType !== t.RBracket,
        DEF: () => {
          this.CONSUME(t.Comma);
          this.SUBRULE2(this.expr, { LABEL: 'item' });
        },
      });
      this.OPTION2(() => this.CONSUME2(t.Comma, { LABEL: 'trailingComma' }));
    });
    this.CONSUME(t.RBracket);
  });
}

/** One parser instance, reused: building it runs the grammar analysis. */
export const segspecParser = new SegspecParser();
