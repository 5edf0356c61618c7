// While a call is being typed (it holds a syntax error), its half-written values are not judged; the other calls
// of the file still are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knowledge } from '../iam/iamData';
import { checkText } from './checkText';

test('a call with a syntax error gets only the syntax error; the others keep their findings', async () => {
  const iam = await knowledge();
  const text = ['iam_policy("Done", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")', 'iam_policy("Typing", Action: ["sqs:SendMessag', ''].join('\n');
  const { findings } = checkText(text, {}, iam);
  const byLine = (line: number) => [...new Set(findings.filter((f) => f.line === line).map((f) => f.code))];
  assert.deepEqual(byLine(0), ['INVALID_ACTION']);
  assert.deepEqual(byLine(1), ['SYNTAX_ERROR']);
  const fixed = checkText(text.replace('"sqs:SendMessag', '"sqs:SendMessag"], Effect: "Allow", Resource: "*")'), {}, iam).findings;
  assert.deepEqual(fixed.filter((f) => f.line === 1).map((f) => f.code), ['INVALID_ACTION']);
});
