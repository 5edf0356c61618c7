// Protocol test: hover over stdio against the real server: markdown for each IAM thing, the exact range of the string
// or key, the data date in every hover, half-typed code, non-ASCII lines, UFO v5 and v6 layouts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient, fileUri, ROOT } from '../support/lspClient';
import { makeProject } from '../support/project';

const CURSOR = '<|>';
const V5 = 'v5/.ufo/iam_roles/task_role.rb';
const V6 = '.ufo/resources/iam_roles/task_role.rb';

let client: LspClient;
let root: string;
const opened = new Set<string>();
const index = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist/data/iam-index.json'), 'utf8'));
const DATA_DATE = String(index.provenance.iamData.updatedAt).slice(0, 10);
const POLICIES_DATE = String(index.provenance.managedPolicies.lastUpdatedDate).slice(0, 10);

before(async () => {
  client = await LspClient.start();
  root = makeProject({ '.ufo/config.rb': '', [V6]: '', 'v5/.ufo/settings.yml': 'default: {}\n', [V5]: '' });
});
after(async () => {
  await client.stop();
});

interface Hovered {
  markdown: string;
  /** The text the hover's range covers. */
  on: string;
  hover: Hover;
}

async function hoverAt(input: string, rel = V6): Promise<Hovered | null> {
  const i = input.indexOf(CURSOR);
  const text = input.slice(0, i) + input.slice(i + CURSOR.length);
  const lines = text.slice(0, i).split('\n');
  const position = { line: lines.length - 1, character: lines[lines.length - 1].length };
  const uri = fileUri(path.join(root, rel));
  if (opened.has(uri)) client.replace(uri, text);
  else {
    client.open(uri, text);
    opened.add(uri);
  }
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  if (!hover) return null;
  const contents = hover.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  assert.ok(hover.range, 'a hover has a range');
  const all = text.split('\n');
  assert.equal(hover.range.start.line, hover.range.end.line);
  const on = all[hover.range.start.line].slice(hover.range.start.character, hover.range.end.character);
  return { markdown: contents.value, on, hover };
}

async function must(input: string, rel = V6): Promise<Hovered> {
  const h = await hoverAt(input, rel);
  assert.ok(h, `no hover at ${input}`);
  assert.ok(h.markdown.includes(`IAM data of ${DATA_DATE}`) || h.markdown.includes(`Managed policies as of ${POLICIES_DATE}`), 'every hover names the data date');
  return h;
}

describe('hover', () => {
  test('an action: service, access level, description, resource types, condition keys, link', async () => {
    const h = await must('iam_policy("S3", Action: ["s3:GetOb<|>ject"], Effect: "Allow", Resource: "*")');
    assert.equal(h.on, '"s3:GetObject"');
    assert.deepEqual(h.hover.range, { start: { line: 0, character: 26 }, end: { line: 0, character: 40 } });
    for (const part of ['**s3:GetObject** — Amazon S3 · Read', 'Grants permission to retrieve objects from Amazon S3', '| Resource type | ARN |', '`object`', '**Condition keys:**', 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html', `IAM data of ${DATA_DATE}`]) {
      assert.ok(h.markdown.includes(part), part);
    }
  });

  test('a wildcard: how many actions, by access level', async () => {
    const h = await must('iam_policy("S3", Action: "s3:Get*<|>")');
    assert.equal(h.on, '"s3:Get*"');
    assert.match(h.markdown, /wildcard: \d+ actions of Amazon S3/);
    assert.match(h.markdown, /\| Read \| \d+ \|/);
  });

  test('the service prefix', async () => {
    const h = await must('iam_policy("S3", NotAction: ["s<|>qs:SendMessage"])');
    assert.equal(h.on, 'sqs');
    assert.match(h.markdown, /^\*\*sqs\*\* — Amazon SQS/);
  });

  test('a managed policy: ARN, path, description, what it grants, its date', async () => {
    const h = await must('managed_iam_policy("service-role/AmazonECSTaskExecutionRole<|>Policy")');
    assert.equal(h.on, '"service-role/AmazonECSTaskExecutionRolePolicy"');
    for (const part of ['`arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy`', '**Path:** `service-role/`', 'required to run Amazon ECS tasks', '**Grants** 6 actions in 2 services', '| Read | 4 |', `Managed policies as of ${POLICIES_DATE}`]) {
      assert.ok(h.markdown.includes(part), part);
    }
  });

  test('condition operator and condition key', async () => {
    const op = await must('iam_policy("S3", Action: "s3:GetObject", Condition: { "ForAnyValue:String<|>Like" => { "aws:TagKeys" => ["a*"] } })');
    assert.equal(op.on, '"ForAnyValue:StringLike"');
    assert.match(op.markdown, /condition operator[\s\S]*ForAnyValue:/);
    const key = await must('iam_policy("S3", Action: "s3:GetObject", Condition: { IpAddress: { "aws:Source<|>Ip": "10.0.0.0/8" } })');
    assert.equal(key.on, '"aws:SourceIp"');
    assert.match(key.markdown, /IPAddress · global condition key/);
  });

  test('statement keys and Effect', async () => {
    const key = await must('iam_policy("S3", Not<|>Resource: "arn:aws:s3:::b/*", Action: "s3:GetObject")');
    assert.equal(key.on, 'NotResource');
    assert.match(key.markdown, /^\*\*NotResource\*\* — IAM policy element/);
    const rocket = await must('iam_policy("S3", "Eff<|>ect" => "Allow")');
    assert.equal(rocket.on, '"Effect"');
    const effect = await must('iam_policy("S3", Effect: "De<|>ny")');
    assert.equal(effect.on, '"Deny"');
    assert.match(effect.markdown, /overrides every Allow/);
  });

  test('nothing where IAM has nothing to say', async () => {
    assert.equal(await hoverAt('iam_policy("S<|>3", Action: "s3:GetObject")'), null);
    assert.equal(await hoverAt('x = "s3:Get<|>Object"'), null);
  });

  test('half-typed code: unclosed string, array, hash and parenthesis', async () => {
    const h = await must('iam_policy("S3", Action: ["s3:PutObject", "s3:GetOb<|>ject\nmanaged_iam_policy("AmazonS3ReadOnlyAccess")\n');
    assert.equal(h.on, '"s3:GetObject');
    const key = await must('iam_policy("S3", [{ Action: "s3:GetObject", Condition: { StringLike: { "s3:pre<|>fix" => "home/"');
    assert.equal(key.on, '"s3:prefix"');
    assert.match(key.markdown, /condition key of s3/);
  });

  test('umlauts and emoji before the string: exact UTF-16 range', async () => {
    const line = 'iam_policy("Grüße-😀", Action: ["s3:Put<|>Object"])';
    const h = await must(`# für 😀\n${line}`);
    assert.equal(h.on, '"s3:PutObject"');
    const start = line.indexOf('"s3:');
    assert.deepEqual(h.hover.range, { start: { line: 1, character: start }, end: { line: 1, character: start + '"s3:PutObject"'.length } });
  });

  test('UFO v5 and v6 layouts', async () => {
    for (const rel of [V5, V6]) {
      const h = await must('managed_iam_policy("AmazonSSMRead<|>OnlyAccess")', rel);
      assert.match(h.markdown, /^\*\*AmazonSSMReadOnlyAccess\*\* — AWS managed policy/, rel);
    }
  });
});
