// The line lexer: tokens and byte spans for the Ruby that role files hold, finished or half-typed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lexLine, utf8Length, type LexState, type Token } from '../../../server/src/core/cursor/rubyLexer';

function lex(line: string, state: LexState = { words: null }): string[] {
  const b = Buffer.from(line);
  return lexLine(b, 0, b.length, state).map((t) => show(b, t));
}

function show(b: Buffer, t: Token): string {
  const text = b.subarray(t.start, t.end).toString();
  const content = b.subarray(t.cs, t.ce).toString();
  switch (t.type) {
    case 'string':
      return `str(${content})${t.closed ? '' : '…'}`;
    case 'label':
      return `label(${content})`;
    case 'symbol':
      return `sym(${content})`;
    case 'word':
      return `word(${content})`;
    case 'punct':
    case 'wordsOpen':
      return text;
    default:
      return `${t.type}(${text})`;
  }
}

describe('lexLine', () => {
  test('a DSL call with labels, strings and arrays', () => {
    assert.deepEqual(lex('iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow")'), [
      'ident(iam_policy)', '(', 'str(S3)', ',', 'label(Action)', '[', 'str(s3:GetObject)', ']', ',', 'label(Effect)', 'str(Allow)', ')',
    ]);
  });

  test('rocket keys, symbols and quoted labels', () => {
    assert.deepEqual(lex('{ "Action" => x, :Effect => :Allow, "aws:SourceIp": 1, :"a b" => 2 }'), [
      '{', 'str(Action)', '=>', 'ident(x)', ',', 'sym(Effect)', '=>', 'sym(Allow)', ',', 'label(aws:SourceIp)', 'other(1)', ',', 'sym(a b)', '=>', 'other(2)', '}',
    ]);
  });

  test('an unclosed string runs to the end of the line only', () => {
    assert.deepEqual(lex('x("abc, y'), ['ident(x)', '(', 'str(abc, y)…']);
  });

  test('escapes and interpolation stay inside the string', () => {
    assert.deepEqual(lex('"a\\"b" + "#{x["k"]}" \'c\\\'d\''), ['str(a\\"b)', 'other(+)', 'str(#{x["k"]})', "str(c\\'d)"]);
  });

  test('comments end the line; `::` is not a label', () => {
    assert.deepEqual(lex('Foo::Bar # Action: "x"'), ['ident(Foo)', 'other(::)', 'ident(Bar)']);
  });

  test('word arrays, also across lines', () => {
    const state: LexState = { words: null };
    assert.deepEqual(lex('Action: %w[s3:GetObject', state), ['label(Action)', '%w[', 'word(s3:GetObject)']);
    assert.ok(state.words);
    assert.deepEqual(lex('  s3:PutObject ], x', state), ['word(s3:PutObject)', ']', ',', 'ident(x)']);
    assert.equal(state.words, null);
    assert.deepEqual(lex('%i(a b)'), ['%i(', 'word(a)', 'word(b)', ')']);
  });

  test('non-ASCII bytes are identifier and string characters; spans are bytes', () => {
    const line = 'größe = "😀x"';
    const b = Buffer.from(line);
    const tokens = lexLine(b, 0, b.length, { words: null });
    assert.deepEqual(tokens.map((t) => show(b, t)), ['ident(größe)', 'other(=)', 'str(😀x)']);
    assert.equal(tokens[2].cs, utf8Length('größe = "'));
  });

  test('CRLF: the carriage return is no part of an unclosed string', () => {
    assert.deepEqual(lex('x("ab\r'), ['ident(x)', '(', 'str(ab)…']);
  });

  test('any bytes: no throw, tokens in order and inside the line', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['"', "'", ':', '%w[', ']', '[', '{', '}', '(', ')', ',', '=>', '#', '\\', 'a', 'Z', ' ', 'ü', '😀', '#{', '?', '!', '@', '$', '1'];
    for (let n = 0; n < 500; n++) {
      let line = '';
      for (let k = 0; k < 30; k++) line += alphabet[Math.floor(rand() * alphabet.length)];
      const b = Buffer.from(line);
      const tokens = lexLine(b, 0, b.length, { words: null });
      let last = 0;
      for (const t of tokens) {
        assert.ok(t.start >= last && t.end >= t.start && t.end <= b.length, line);
        assert.ok(t.cs >= t.start && t.ce <= t.end && t.cs <= t.ce, line);
        last = t.end;
      }
    }
  });
});

describe('utf8Length', () => {
  test('matches Buffer.byteLength', () => {
    for (const s of ['', 'abc', 'ä', '€', '😀', 'a😀ü€', '\ud800x']) assert.equal(utf8Length(s), Buffer.byteLength(s), JSON.stringify(s));
  });
});
