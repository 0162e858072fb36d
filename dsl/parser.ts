// The convbook grammar (Chevrotain CstParser, rules as class fields). Error recovery is off: compile.ts
// re-parses a broken cell statement by statement, so every statement still reports its first error,
// and Chevrotain's re-synchronisation made cells of thousands of broken lines quadratic. Grammar only: which words mean what is decided by the checker from
// the built-ins table, so layer lines and settings are a head word followed by generic terms.
import { CstParser, EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import { closest } from './suggest.js';
import * as T from './tokens.js';

const label = (t: TokenType) => T.tokenLabel(t);
/** A token as a message quotes it: a long string or name is cut, so a message stays short. */
const shown = (t: IToken) =>
  t.tokenType === EOF
    ? 'the end of the cell'
    : t.tokenType === T.Newline
      ? 'the end of the line'
      : `'${t.image.length > 40 ? `${t.image.slice(0, 40)}…` : t.image}'`;

const ruleNames: Record<string, string> = {
  dataStmt: 'data statement',
  modelStmt: 'model definition',
  trainStmt: 'train statement',
  evaluateStmt: 'evaluate statement',
  showStmt: 'show statement',
  compareStmt: 'compare statement',
  convolveStmt: 'convolve statement',
  poolStmt: 'pooling statement',
  predictStmt: 'predict statement',
  saveStmt: 'save statement',
  loadStmt: 'load statement',
  exportStmt: 'export statement',
  importStmt: 'import statement',
  printStmt: 'print statement',
  explainStmt: 'explain statement',
  block: 'block',
  args: 'argument list',
  list: 'list',
  value: 'value',
};

/** The message for a ':' after a word in a block, `after` being " after 'optimizer'" where known. */
export function colonInBlock(after: string): string {
  return `remove the ':'${after}: in a block a word and its value are separated by a space (optimizer adam, epochs 5, conv 6); ':' only names an argument in parentheses, e.g. adam(lr: 0.01)`;
}

/** A line that cannot start a statement (`}`, `5`, `(`): compile.ts also uses it without the parser. */
export function statementStartMessage(t: IToken): string {
  return `a statement starts with a keyword (data, model, train, show, …) or is a name on its own line; found ${shown(t)}`;
}

/** Messages a student can act on, instead of Chevrotain's token-type dumps. */
export const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    const where = ruleNames[ruleName] ? ` in this ${ruleNames[ruleName]}` : '';
    if (expected === T.Newline) {
      // `data e = d whre classes 0..4`: a misspelt connecting keyword, not a second statement.
      const typo =
        actual.tokenType === T.Identifier
          ? closest(
              actual.image,
              T.connectorKeywords.map((k) => k.name.toLowerCase()),
            )
          : undefined;
      if (typo !== undefined) return `unexpected '${actual.image}' (did you mean '${typo}'?)`;
      return `expected the end of the line after this statement, found ${shown(actual)}: put each statement on its own line`;
    }
    if (expected === T.RCurly) {
      // Inside a block only a line's first term can meet this: a value where the head word should be.
      const value = [T.NumberLit, T.Dims, T.StringLit, T.LBracket, T.IndexOpen].includes(actual.tokenType);
      if (value)
        return `a line in a block starts with a word — a layer (conv 6 …) in a model, a setting (epochs 5 …) in a train block — found ${shown(actual)}`;
      if (actual.tokenType === EOF) return `expected '}' to close the block, found ${shown(actual)}`;
      // `optimizer: adam` (the YAML and Keras habit); compile.ts names the word before it.
      if (actual.tokenType === T.Colon) return colonInBlock('');
      return `unexpected ${shown(actual)} in this block (or a missing '}')`;
    }
    if (expected === T.RParen) {
      const comma =
        actual.tokenType === T.Equals
          ? ' (arguments are written name: value, e.g. lr: 0.1)'
          : actual.tokenType === T.Identifier || actual.tokenType === T.NumberLit || actual.tokenType === T.StringLit
            ? " (is a ',' missing before it?)"
            : '';
      return `expected ')' to close the argument list, found ${shown(actual)}${comma}`;
    }
    if (expected === T.RBracket) return `expected ']' to close the ${ruleName === 'path' ? 'index' : 'list'}, found ${shown(actual)}`;
    if (expected === T.Identifier && T.statementKeywords.concat(T.connectorKeywords).includes(actual.tokenType)) {
      return `'${actual.image}' is a keyword of the language and cannot be used as a name${where}; pick another name`;
    }
    if (expected === T.Identifier) return `expected a name${where}, found ${shown(actual)}`;
    if (expected === T.Word && previous?.tokenType === T.Dot)
      return `expected a name after '.', e.g. lenet.filters or digits.test[7], found ${shown(actual)}`;
    // `train m onn d`: a misspelt connecting keyword.
    const typo =
      actual.tokenType === T.Identifier && T.connectorKeywords.includes(expected)
        ? closest(actual.image, [expected.name.toLowerCase()])
        : undefined;
    return `expected ${label(expected)}${where}, found ${shown(actual)}${typo ? ` (did you mean '${typo}'?)` : ''}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${shown(firstRedundant)}: a statement starts with a keyword such as data, model, train or show`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    if (ruleName === 'statement') return statementStartMessage(actual[0]);
    const firsts = [...new Set(expectedPathsPerAlt.flatMap((alt) => alt.map((path) => label(path[0]))))];
    const what =
      ruleName === 'value' || ruleName === 'lineTerm'
        ? 'a value (a number, a size like 5x5, a "string", a name or a [list])'
        : firsts.join(', ');
    return `expected ${what}, found ${shown(actual[0])}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    const where = ruleNames[ruleName] ?? ruleName;
    return `this ${where} is incomplete: expected something more, found ${shown(actual[0])}`;
  },
};

export class ConvbookParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: false, maxLookahead: 3, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  program = this.RULE('program', () => {
    this.MANY(() => this.OR([{ ALT: () => this.CONSUME(T.Newline) }, { ALT: () => this.SUBRULE(this.statement) }]));
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.dataStmt) },
      { ALT: () => this.SUBRULE(this.modelStmt) },
      { ALT: () => this.SUBRULE(this.trainStmt) },
      { ALT: () => this.SUBRULE(this.evaluateStmt) },
      { ALT: () => this.SUBRULE(this.showStmt) },
      { ALT: () => this.SUBRULE(this.compareStmt) },
      { ALT: () => this.SUBRULE(this.convolveStmt) },
      { ALT: () => this.SUBRULE(this.poolStmt) },
      { ALT: () => this.SUBRULE(this.predictStmt) },
      { ALT: () => this.SUBRULE(this.saveStmt) },
      { ALT: () => this.SUBRULE(this.loadStmt) },
      { ALT: () => this.SUBRULE(this.exportStmt) },
      { ALT: () => this.SUBRULE(this.importStmt) },
      { ALT: () => this.SUBRULE(this.printStmt) },
      { ALT: () => this.SUBRULE(this.explainStmt) },
      // A line starting with an unknown word: parsed so the checker can say "did you mean …".
      { ALT: () => this.SUBRULE(this.unknownStmt) },
    ]);
    this.CONSUME(T.Newline);
  });

  // data digits = mnist(train: 8000)   |   data low = digits where classes 0..4
  dataStmt = this.RULE('dataStmt', () => {
    this.CONSUME(T.Data);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.value);
    this.OPTION(() => {
      this.CONSUME(T.Where);
      this.AT_LEAST_ONE(() => this.SUBRULE(this.lineTerm));
    });
  });

  // model lenet(input: 28x28x1) { … }   |   model b from a freeze conv1..conv2 { replace … }
  modelStmt = this.RULE('modelStmt', () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.SUBRULE(this.args);
      this.CONSUME(T.RParen);
    });
    this.OPTION2(() => {
      this.CONSUME(T.From);
      this.CONSUME2(T.Identifier);
      this.OPTION3(() => {
        this.CONSUME(T.Freeze);
        this.SUBRULE2(this.value);
      });
    });
    this.OPTION4(() => this.SUBRULE(this.block));
  });

  // train lenet on digits { epochs 10 … }
  trainStmt = this.RULE('trainStmt', () => {
    this.CONSUME(T.Train);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.On);
    this.CONSUME2(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.block));
  });

  evaluateStmt = this.RULE('evaluateStmt', () => {
    this.CONSUME(T.Evaluate);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.On);
    this.SUBRULE(this.value);
  });

  showStmt = this.RULE('showStmt', () => {
    this.CONSUME(T.Show);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.lineTerm));
  });

  compareStmt = this.RULE('compareStmt', () => {
    this.CONSUME(T.Compare);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier) });
    this.CONSUME(T.On);
    this.CONSUME2(T.Identifier);
  });

  convolveStmt = this.RULE('convolveStmt', () => {
    this.CONSUME(T.Convolve);
    this.SUBRULE(this.value);
    this.CONSUME(T.With);
    this.SUBRULE2(this.value);
    this.MANY(() => this.SUBRULE(this.lineTerm));
  });

  poolStmt = this.RULE('poolStmt', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Maxpool) }, { ALT: () => this.CONSUME(T.Avgpool) }]);
    this.SUBRULE(this.value);
    this.MANY(() => this.SUBRULE(this.lineTerm));
  });

  predictStmt = this.RULE('predictStmt', () => {
    this.CONSUME(T.Predict);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.value);
  });

  saveStmt = this.RULE('saveStmt', () => {
    this.CONSUME(T.Save);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.StringLit);
  });

  loadStmt = this.RULE('loadStmt', () => {
    this.CONSUME(T.Load);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.CONSUME(T.StringLit);
  });

  // export lenet to "lenet.onnx"   |   export lenet to "lenet.py"
  exportStmt = this.RULE('exportStmt', () => {
    this.CONSUME(T.Export);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.To);
    this.CONSUME(T.StringLit);
  });

  // import pre = "net.onnx"
  importStmt = this.RULE('importStmt', () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.CONSUME(T.StringLit);
  });

  printStmt = this.RULE('printStmt', () => {
    this.CONSUME(T.Print);
    this.SUBRULE(this.value);
  });

  // explain conv1 of digits.test[7] at map 2, row 3, col 4: which form is decided by lower-explain.ts.
  explainStmt = this.RULE('explainStmt', () => {
    this.CONSUME(T.Explain);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.lineTerm));
  });

  unknownStmt = this.RULE('unknownStmt', () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => this.SUBRULE(this.lineTerm));
    this.OPTION(() => this.SUBRULE(this.block));
  });

  /** `{` lines `}`: layer lines in a model, settings in a train statement. */
  block = this.RULE('block', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.OR([{ ALT: () => this.CONSUME(T.Newline) }, { ALT: () => this.SUBRULE(this.line) }]));
    this.CONSUME(T.RCurly);
  });

  /** A head word and its terms: `conv 6 kernel 5x5 relu`, `epochs 10 batch 64`. */
  line = this.RULE('line', () => {
    this.CONSUME(T.Word);
    this.MANY(() => this.SUBRULE(this.lineTerm));
  });

  lineTerm = this.RULE('lineTerm', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.value) }, { ALT: () => this.CONSUME(T.Comma) }]);
  });

  value = this.RULE('value', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.number) },
      { ALT: () => this.CONSUME(T.Dims) },
      { ALT: () => this.CONSUME(T.StringLit) },
      { ALT: () => this.SUBRULE(this.path) },
      { ALT: () => this.SUBRULE(this.list) },
    ]);
  });

  /** 0.5, 1e-3, the fraction 1/3, or the range 0..4. */
  number = this.RULE('number', () => {
    this.CONSUME(T.NumberLit);
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Slash);
            this.CONSUME2(T.NumberLit);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.DotDot);
            this.CONSUME3(T.NumberLit);
          },
        },
      ]),
    );
  });

  /** relu, digits.test[7], sgd(lr: 0.1), conv1..conv3 */
  path = this.RULE('path', () => {
    this.CONSUME(T.Word);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Word);
    });
    this.OPTION(() => {
      this.CONSUME(T.IndexOpen);
      this.CONSUME(T.NumberLit);
      this.CONSUME(T.RBracket);
    });
    this.OPTION2(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.args);
            this.CONSUME(T.RParen);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.DotDot);
            this.CONSUME3(T.Word);
          },
        },
      ]),
    );
  });

  list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.value) });
    this.CONSUME(T.RBracket);
  });

  args = this.RULE('args', () => {
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.arg) });
  });

  /** `lr: 0.1` or a positional value. */
  arg = this.RULE('arg', () => {
    this.OPTION(() => {
      this.CONSUME(T.Word);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.value);
  });
}

/** One parser instance: Chevrotain parsers are reusable by resetting `input`. */
export const parser = new ConvbookParser();
