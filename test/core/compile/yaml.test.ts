// The YAML printer's quoting decisions against Psych itself: test/fixtures/yaml/psych-strings.json holds, for each
// string, what Ruby 3.1's Psych 4.0.3 writes for `{"k" => s}.to_yaml` (plain, single or double quotes, a literal block,
// a folded line), and nested.yaml a whole resource as Psych dumps it (indentation of folded lines and blocks). One
// difference is known and left out of the table: a U+2028 inside a string, which libyaml writes in single quotes
// across lines; this printer writes it escaped in double quotes, which reads back the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toYamlText } from '../../../server/src/core/compile/serialize';
import { fromPlain } from '../../../server/src/core/compile/cvalue';

const DIR = path.resolve(__dirname, '../../fixtures/yaml');

test('every string of the table is written as Psych writes it', () => {
  const { rows } = JSON.parse(fs.readFileSync(path.join(DIR, 'psych-strings.json'), 'utf8')) as { rows: [string, string][] };
  assert.ok(rows.length >= 80);
  const wrong = rows
    .map(([s, expected]) => [s, expected, toYamlText(new Map([['k', s]])).replace(/^---\n/, '').replace(/^k: ?/, '').replace(/\n$/, '')])
    .filter(([, expected, ours]) => expected !== ours)
    .map(([s, expected, ours]) => `${JSON.stringify(s)}: Psych ${JSON.stringify(expected)}, ours ${JSON.stringify(ours)}`);
  assert.deepEqual(wrong, []);
});

test('a nested resource: keys, sequences, a literal block and a folded line at the indentation Psych uses', () => {
  const doc = fromPlain({
    TaskRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Policies: [
          {
            PolicyName: 'P',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'multi\nline',
                  Action: ['s3:GetObject', '*'],
                  Resource: `arn:aws:s3:::b/${'k '.repeat(40).trim()}`,
                  Condition: { StringEquals: new Map([['aws:x', 'yes'], ['10', '0o17'], ['k', '']]) },
                },
              ],
            },
          },
        ],
      },
    },
  });
  assert.equal(toYamlText(doc), fs.readFileSync(path.join(DIR, 'nested.yaml'), 'utf8'));
});
