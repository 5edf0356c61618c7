// Completion entries per context, with the text they insert and the span they replace, over the real IAM data.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { complete, entryText, arnSnippet, keyText, prepareFileLists, resolveDocumentation, type CompletionEntry, type CompletionResult } from '../../../server/src/core/complete/complete';
import { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import { snippetToPlain } from '../../../server/src/features/completion';
import { ensureDataDir, fileLoader, knowledge } from '../iam/iamData';
import { applyBytes, mark } from '../cursor/cursor';

let iam: IamKnowledge;
before(async () => {
  iam = await knowledge();
});

function run(input: string, triggerCharacter?: string) {
  const m = mark(input);
  const r = complete(m.analysis, m.offset, iam, { triggerCharacter });
  return { m, r };
}

function must(r: CompletionResult | undefined): CompletionResult {
  assert.ok(r, 'expected completions');
  return r;
}

function entry(r: CompletionResult, label: string): CompletionEntry {
  const e = r.items.find((x) => x.label === label);
  assert.ok(e, `no entry ${label} among ${r.items.slice(0, 20).map((x) => x.label).join(', ')}…`);
  return e;
}

/** The text after accepting the entry (snippets with their placeholders' default text). */
function accept(input: string, label: string, triggerCharacter?: string): string {
  const { m, r } = run(input, triggerCharacter);
  const res = must(r);
  const t = entryText(entry(res, label), res);
  return applyBytes(m.text, res.span, t.snippet ? snippetToPlain(t.text) : t.text);
}

describe('managed policies', () => {
  test('typing part of the name offers the policy under its path and inserts path/Name', () => {
    const { r } = run('managed_iam_policy("AmazonECSTaskEx<|>")');
    const res = must(r);
    assert.equal(res.context, 'managedPolicy');
    const e = entry(res, 'service-role/AmazonECSTaskExecutionRolePolicy');
    assert.ok(e.filterText?.split(' ').includes('AmazonECSTaskExecutionRolePolicy'));
    assert.ok(e.filterText?.split(' ').includes('service-role/AmazonECSTaskExecutionRolePolicy'));
    assert.match(resolveDocumentation(iam, e.resolve!) ?? '', /Amazon ECS tasks/);
    assert.equal(accept('managed_iam_policy("AmazonECSTaskEx<|>")', 'service-role/AmazonECSTaskExecutionRolePolicy'), 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")');
    assert.equal(res.items.length, iam.listManagedPolicies().length);
  });

  test('retired and deprecated policies are marked and sort after current ones', () => {
    const res = must(run('managed_iam_policy("<|>")').r);
    const flagged = iam.listManagedPolicies().filter((p) => p.retired || p.deprecated);
    assert.ok(flagged.length > 0, 'the data has retired or deprecated policies');
    for (const p of flagged) assert.equal(entry(res, p.path + p.name).deprecated, true);
    const current = iam.listManagedPolicies().find((p) => !p.retired && !p.deprecated)!;
    assert.notEqual(entry(res, current.path + current.name).deprecated, true);
    const sorted = [...res.items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
    assert.equal(sorted[sorted.length - 1].deprecated, true);
    assert.notEqual(sorted[0].deprecated, true);
  });

  test('outside quotes the name is inserted quoted, in the file\'s quote', () => {
    assert.equal(accept('managed_iam_policy(<|>)', 'AmazonS3ReadOnlyAccess'), 'managed_iam_policy("AmazonS3ReadOnlyAccess")');
    assert.equal(accept("managed_iam_policy('A', <|>)", 'AmazonS3ReadOnlyAccess'), "managed_iam_policy('A', 'AmazonS3ReadOnlyAccess')");
    assert.equal(accept('managed_iam_policy(["A", Amaz<|>])', 'AmazonS3ReadOnlyAccess'), 'managed_iam_policy(["A", "AmazonS3ReadOnlyAccess"])');
  });

  test('an ARN typed by hand is completed after policy/', () => {
    const input = 'managed_iam_policy("arn:aws:iam::aws:policy/service-role/AmazonECST<|>")';
    assert.equal(accept(input, 'service-role/AmazonECSTaskExecutionRolePolicy'), 'managed_iam_policy("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")');
  });

  test('the list is built once and shared', () => {
    assert.equal(must(run('managed_iam_policy("<|>")').r).items, must(run('managed_iam_policy "x", <|>').r).items);
  });
});

describe('actions', () => {
  test('service prefixes first: label, service name, `s3:` inserted and completion opened again', () => {
    const res = must(run('iam_policy("P", Action: ["<|>"])', '"').r);
    assert.equal(res.context, 'services');
    const s3 = entry(res, 's3');
    assert.equal(s3.description, 'Amazon S3');
    assert.equal(s3.retrigger, true);
    assert.deepEqual(entryText(s3, res), { text: 's3:', snippet: false });
    assert.equal(res.items.length, iam.listServices().length);
  });

  test('outside quotes the prefix is inserted as a string with the cursor before the closing quote', () => {
    const res = must(run('iam_policy("P", Action: [<|>])').r);
    assert.deepEqual(entryText(entry(res, 's3'), res), { text: '"s3:$0"', snippet: true });
    const after = must(run('iam_policy("P", Action:<|>)').r);
    assert.deepEqual(entryText(entry(after, 's3'), after), { text: ' "s3:$0"', snippet: true });
  });

  test('after `s3:` the actions of S3 with access levels, replacing only what follows the colon', () => {
    const { m, r } = run('iam_policy("P", Action: ["s3:Get<|>"], Effect: "Allow", Resource: "*")', ':');
    const res = must(r);
    assert.equal(res.context, 'actions');
    assert.equal(Buffer.from(m.text).subarray(res.span.start, res.span.end).toString(), 'Get');
    const e = entry(res, 'GetObject');
    assert.match(e.detail ?? '', /\bRead\b/);
    assert.equal(e.description, 'Read');
    assert.deepEqual(e.resolve, { type: 'action', name: 's3:GetObject' });
    assert.equal(accept('iam_policy("P", Action: ["s3:Get<|>"])', 'GetObject'), 'iam_policy("P", Action: ["s3:GetObject"])');
    assert.equal(res.items.filter((x) => x.kind === 'action').length, iam.listActions('s3').length);
  });

  test('wildcards per verb, with the number of actions each grants as IAM matches it', () => {
    const res = must(run('iam_policy("P", Action: "s3:<|>")').r);
    const wildcards = res.items.filter((x) => x.kind === 'wildcard');
    for (const label of ['Get*', 'List*', 'Put*', '*']) assert.ok(wildcards.some((w) => w.label === label), label);
    for (const w of wildcards) {
      const granted = iam.matchActions(`s3:${w.label}`).length;
      assert.ok(granted >= 2, `${w.label} grants ${granted}`);
      assert.match(w.detail ?? '', new RegExp(`grants (all )?${granted.toLocaleString('en-US')} actions`));
    }
    // Sorted by sortText: among equal matches the actions AWS's managed policies grant most come first, and the verb's
    // wildcard right before its most granted action.
    assert.ok(entry(res, 'Get*').sortText! < entry(res, 'GetObject').sortText!);
    assert.ok(entry(res, 'GetObject').sortText! < entry(res, 'GetAccelerateConfiguration').sortText!);
    assert.ok(entry(res, 'ListBucket').sortText! < entry(res, 'ListAccessGrants').sortText!);
  });

  test('the service prefix is found case-insensitively; an unknown one gives nothing', () => {
    assert.equal(must(run('iam_policy("P", Action: "S3:<|>")').r).context, 'actions');
    assert.equal(run('iam_policy("P", Action: "s4:<|>")').r, undefined);
  });

  test('the action list of a service is built once and shared', () => {
    assert.equal(must(run('iam_policy("P", Action: "sqs:<|>")').r).items, must(run('iam_policy("Q", NotAction: ["sqs:Send<|>"])').r).items);
  });

  test('in a %w word array no quotes are added', () => {
    const res = must(run('iam_policy("P", Action: %w[s3:GetObject <|>])').r);
    assert.equal(res.quote, undefined);
    assert.equal(accept('iam_policy("P", Action: %w[s3:GetObject s3:Put<|>])', 'PutObject'), 'iam_policy("P", Action: %w[s3:GetObject s3:PutObject])');
  });

  test('exact ranges after umlauts and emoji', () => {
    assert.equal(accept('iam_policy("Grüße 😀", Action: ["s3:Gët<|>"])', 'GetObject'), 'iam_policy("Grüße 😀", Action: ["s3:GetObject"])');
  });
});

describe('trigger characters are ordinary typing too', () => {
  test('`:` ending a label or `"` closing a string gives nothing', () => {
    assert.equal(run('iam_policy("P", Action:<|>)', ':').r, undefined);
    assert.equal(run('iam_policy("P", Effect: "Allow"<|>)', '"').r, undefined);
    assert.equal(run('iam_policy("P", Action: "s3:GetObject", <|>)', ':').r, undefined);
  });

  test('`"` opening a string and `:` after a service prefix complete', () => {
    assert.equal(must(run('iam_policy("P", Action: "<|>")', '"').r).context, 'services');
    assert.equal(must(run("iam_policy('P', Action: '<|>')", "'").r).context, 'services');
    assert.equal(must(run('iam_policy("P", Action: "ec2:<|>', ':').r).context, 'actions');
    assert.equal(must(run('managed_iam_policy("service-role/<|>")', '/').r).context, 'managedPolicy');
  });
});

describe('statement keys', () => {
  const labels = (input: string) => must(run(input).r).items.map((e) => e.label);

  test('in the statement\'s key style, without present or excluded keys', () => {
    assert.deepEqual(labels('iam_policy("P", Action: ["s3:GetObject"], <|>)'), ['Effect: ', 'Resource: ', 'NotResource: ', 'Condition: ', 'Sid: ']);
    assert.deepEqual(labels('iam_policy("P", "Action" => ["s3:GetObject"], "Resource" => "*", <|>)'), ['"Effect" => ', '"Condition" => ', '"Sid" => ']);
    assert.deepEqual(labels('iam_policy("P", [{ :NotAction => "iam:*", <|> }])'), [':Effect => ', ':Resource => ', ':NotResource => ', ':Condition => ', ':Sid => ']);
    assert.deepEqual(labels('iam_policy("P", { "Effect": "Allow", <|> })'), ['"Action": ', '"NotAction": ', '"Resource": ', '"NotResource": ', '"Condition": ', '"Sid": ']);
    assert.deepEqual(labels("iam_policy('P', 'Effect' => 'Allow', <|>)"), ["'Action' => ", "'NotAction' => ", "'Resource' => ", "'NotResource' => ", "'Condition' => ", "'Sid' => "]);
  });

  test('keys after the cursor count as present; the key being edited does not', () => {
    assert.deepEqual(labels('iam_policy("P", <|> Effect: "Allow", Action: "s3:GetObject")'), ['Resource: ', 'NotResource: ', 'Condition: ', 'Sid: ']);
    const res = must(run('iam_policy("P", Eff<|>ect: "Allow", Action: "s3:GetObject")').r);
    assert.ok(res.items.some((e) => e.label.startsWith('Effect')));
  });

  test('inserting a key: a space after it, completion opened again; Condition opens a hash', () => {
    assert.equal(accept('iam_policy("P", Action: ["s3:GetObject"], <|>)', 'Effect: '), 'iam_policy("P", Action: ["s3:GetObject"], Effect: )');
    assert.equal(must(run('iam_policy("P", <|>)').r).items.find((e) => e.label === 'Effect: ')?.retrigger, true);
    assert.equal(accept('iam_policy("P", Action: ["s3:GetObject"], <|>)', 'Condition: '), 'iam_policy("P", Action: ["s3:GetObject"], Condition: {  })');
    assert.equal(accept('iam_policy("P", Action: ["s3:GetObject"], Re<|>)', 'Resource: '), 'iam_policy("P", Action: ["s3:GetObject"], Resource: )');
    // A key typed as a string gets its separator too, in the statement's style, unless one follows already.
    assert.equal(accept('iam_policy("P", Action: ["s3:GetObject"], "Re<|>")', 'Resource'), 'iam_policy("P", Action: ["s3:GetObject"], "Resource": )');
    assert.equal(accept('iam_policy("P", "Action" => ["s3:GetObject"], "<|>")', 'Effect', '"'), 'iam_policy("P", "Action" => ["s3:GetObject"], "Effect" => )');
    assert.equal(accept('iam_policy("P", "Action" => ["s3:GetObject"], "Ef<|>" => "Allow")', 'Effect'), 'iam_policy("P", "Action" => ["s3:GetObject"], "Effect" => "Allow")');
    assert.equal(accept('iam_policy("P", "Action" => ["s3:GetObject"], "Ef<|>fect" => "Allow")', 'Effect'), 'iam_policy("P", "Action" => ["s3:GetObject"], "Effect" => "Allow")');
    assert.equal(accept('iam_policy("P", Action: "s3:GetObject", Condition: { "Str<|>" })', 'StringLike'), 'iam_policy("P", Action: "s3:GetObject", Condition: { "StringLike": {  } })');
    assert.equal(accept('iam_policy("P", Condition: { "Bool" => { "aws:Secure<|>" } })', 'aws:SecureTransport'), 'iam_policy("P", Condition: { "Bool" => { "aws:SecureTransport" => } })');
  });

  test('a statement hash in a statements array, and a statement snippet where one is expected', () => {
    assert.deepEqual(labels('iam_policy("P", [{ Effect: "Allow" }, { <|> }])').slice(0, 2), ['Effect: ', 'Action: ']);
    assert.equal(accept('iam_policy("P", [<|>])', '{ Effect, Action, Resource }'), 'iam_policy("P", [{ Effect: "Allow", Action: [""], Resource: "*" }])');
  });
});

describe('Effect values', () => {
  test('quoted outside a string, bare inside, replacing a bare word', () => {
    assert.equal(accept('iam_policy("P", Effect: <|>)', 'Allow'), 'iam_policy("P", Effect: "Allow")');
    assert.equal(accept('iam_policy("P", Effect: "<|>")', 'Deny'), 'iam_policy("P", Effect: "Deny")');
    assert.equal(accept('iam_policy("P", Effect: Al<|>)', 'Allow'), 'iam_policy("P", Effect: "Allow")');
    assert.equal(accept('iam_policy("P", Effect:<|>)', 'Allow'), 'iam_policy("P", Effect: "Allow")');
  });
});

describe('resources', () => {
  test('ARN templates of the statement\'s actions as snippets, and "*"', () => {
    const res = must(run('iam_policy("P", Action: ["s3:GetObject"], Resource: <|>)').r);
    const object = entry(res, 'arn:aws:s3:::${BucketName}/${ObjectName}');
    assert.deepEqual(entryText(object, res), { text: '"arn:aws:s3:::${1:BucketName}/${2:ObjectName}"', snippet: true });
    assert.match(object.detail ?? '', /s3 object.*s3:GetObject/);
    assert.equal(res.items[res.items.length - 1].label, '*');
    assert.equal(accept('iam_policy("P", Action: ["s3:GetObject"], Resource: [<|>])', '*'), 'iam_policy("P", Action: ["s3:GetObject"], Resource: ["*"])');
    assert.equal(accept('iam_policy("P", Action: ["s3:GetObject"], Resource: "arn:aws:s3<|>")', 'arn:aws:s3:::${BucketName}/${ObjectName}'), 'iam_policy("P", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::BucketName/ObjectName")');
  });

  test('actions written after the Resource count; without actions only "*"', () => {
    const res = must(run('iam_policy("P", Resource: "<|>", Action: "sqs:SendMessage")').r);
    assert.ok(res.items.some((e) => e.label === 'arn:aws:sqs:${Region}:${Account}:${QueueName}'), res.items.map((e) => e.label).join());
    assert.deepEqual(must(run('iam_policy("P", Resource: "<|>")').r).items.map((e) => e.label), ['*']);
  });

  test('arnSnippet: partition aws, region and account placeholders, a repeated variable keeps its number', () => {
    assert.equal(arnSnippet('arn:${Partition}:sqs:${Region}:${Account}:${QueueName}'), 'arn:aws:sqs:${1:region}:${2:account}:${3:QueueName}');
    assert.equal(arnSnippet('arn:${Partition}:x:::${Name}/${Name}'), 'arn:aws:x:::${1:Name}/${1:Name}');
  });
});

describe('conditions', () => {
  test('operators, with IfExists and set-operator forms, in the statement\'s key style', () => {
    const res = must(run('iam_policy("P", Action: "s3:GetObject", Condition: { <|> })').r);
    const labels = res.items.map((e) => e.label);
    for (const l of ['StringEquals', 'StringLike', 'Bool', 'IpAddress', 'ArnLike', 'Null', 'StringEqualsIfExists', 'ForAnyValue:StringLike', 'ForAllValues:StringEqualsIfExists']) assert.ok(labels.includes(l), l);
    for (const l of ['NullIfExists', 'ForAnyValue:Null']) assert.ok(!labels.includes(l), l);
    assert.equal(labels.length, 27 + 26 * 5);
    assert.deepEqual(entryText(entry(res, 'StringEquals'), res), { text: 'StringEquals: { $0 }', snippet: true });
    assert.deepEqual(entryText(entry(res, 'ForAnyValue:StringLike'), res), { text: '"ForAnyValue:StringLike": { $0 }', snippet: true });
    const rocket = must(run('iam_policy("P", "Condition" => { <|> })').r);
    assert.deepEqual(entryText(entry(rocket, 'Bool'), rocket), { text: '"Bool" => { $0 }', snippet: true });
    assert.match(entry(res, 'ForAllValues:StringEquals').documentation ?? '', /ForAllValues/);
  });

  test('an operator already present is not offered again', () => {
    const res = must(run('iam_policy("P", Condition: { StringEquals: { "aws:SourceVpc" => "vpc-1" }, <|> })').r);
    assert.ok(!res.items.some((e) => e.label === 'StringEquals'));
    assert.ok(res.items.some((e) => e.label === 'StringLike'));
  });

  test('keys of the statement\'s actions first, then the global ones, with their types', () => {
    const res = must(run('iam_policy("P", Action: ["s3:GetObject"], Condition: { StringEquals: { <|> } })').r);
    const tag = entry(res, 's3:ExistingObjectTag/<key>');
    assert.deepEqual(entryText(tag, res), { text: '"s3:ExistingObjectTag/${1:key}": ', snippet: true });
    const ip = entry(res, 'aws:SourceIp');
    assert.match(ip.detail ?? '', /IPAddress/);
    assert.deepEqual(entryText(ip, res), { text: '"aws:SourceIp": ', snippet: false });
    assert.ok(tag.sortText! < ip.sortText!);
    const principalTag = entry(res, 'aws:PrincipalTag/tag-key');
    assert.equal(entryText(principalTag, res).text, '"aws:PrincipalTag/${1:tag-key}": ');
    assert.equal(accept('iam_policy("P", Condition: { "StringLike" => { "aws:Sou<|>" => "x" } })', 'aws:SourceIp'), 'iam_policy("P", Condition: { "StringLike" => { "aws:SourceIp" => "x" } })');
  });

  test('Bool keys and Null get true and false', () => {
    assert.equal(accept('iam_policy("P", Condition: { Bool: { "aws:SecureTransport" => <|> } })', 'true'), 'iam_policy("P", Condition: { Bool: { "aws:SecureTransport" => "true" } })');
    assert.deepEqual(must(run('iam_policy("P", Condition: { Null: { "aws:TokenIssueTime" => "<|>" } })').r).items.map((e) => e.label), ['true', 'false']);
    assert.equal(run('iam_policy("P", Condition: { StringEquals: { "aws:SourceVpc" => "<|>" } })').r, undefined);
  });
});

describe('top level', () => {
  test('snippets for the two DSL calls, in the file\'s style', () => {
    const res = must(run('<|>').r);
    assert.deepEqual(res.items.map((e) => e.label), ['iam_policy', 'iam_policy (statements)', 'managed_iam_policy']);
    assert.equal(accept('<|>', 'iam_policy'), 'iam_policy("PolicyName", Action: [""], Effect: "Allow", Resource: "*")');
    assert.equal(accept('iam_policy("A", "Effect" => "Allow")\nia<|>', 'iam_policy'), 'iam_policy("A", "Effect" => "Allow")\niam_policy("PolicyName", "Action" => [""], "Effect" => "Allow", "Resource" => "*")');
    assert.equal(accept('  man<|>', 'managed_iam_policy'), '  managed_iam_policy("")');
    assert.equal(entry(res, 'managed_iam_policy').retrigger, true);
  });

  test('not in the middle of an expression', () => {
    assert.equal(run('x = <|>').r, undefined);
    assert.equal(run('puts "<|>"').r, undefined);
  });
});

describe('keyText', () => {
  test('labels need quotes when the name has a colon; rockets keep the symbol form', () => {
    assert.equal(keyText('Action', 'label', false, '"'), 'Action: ');
    assert.equal(keyText('aws:SourceIp', 'label', false, '"'), '"aws:SourceIp": ');
    assert.equal(keyText('Action', 'rocket', true, '"'), ':Action => ');
    assert.equal(keyText('aws:SourceIp', 'rocket', true, "'"), ":'aws:SourceIp' => ");
  });
});

describe('any position, any prefix of a file', () => {
  const files = [
    'managed_iam_policy("AmazonSSMReadOnlyAccess", "service-role/AmazonECSTaskExecutionRolePolicy")\n',
    'iam_policy("S3", Action: ["s3:GetObject", "s3:ListBucket"], Effect: "Allow", Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"])\n',
    "iam_policy('Multi', [\n  { 'Effect' => 'Allow', 'Action' => %w[sqs:SendMessage sqs:GetQueueUrl], 'Resource' => '*' },\n  { Effect: \"Deny\", NotAction: \"iam:*\", Resource: \"*\", Condition: { \"ForAnyValue:StringLike\" => { \"aws:TagKeys\" => [\"a*\"] }, Bool: { \"aws:SecureTransport\": \"false\" } } },\n])\n",
    '# Grüße 😀\niam_policy("Ü", Action: "ssm:GetParameters", Effect: "Allow", Resource: "arn:aws:ssm:*:*:parameter/ä/*")\n',
  ];

  test('completion never throws; its span holds the cursor and stays on the cursor\'s line', () => {
    let results = 0;
    for (const text of files) {
      const bytes = new TextEncoder().encode(text);
      const check = (source: { bytes: Uint8Array }, offset: number) => {
        const r = complete(source, offset, iam);
        if (!r) return;
        results++;
        assert.ok(r.span.start <= offset && offset <= r.span.end, `${JSON.stringify(text)} at ${offset}`);
        assert.ok(!source.bytes.subarray(r.span.start, r.span.end).includes(0x0a), `${JSON.stringify(text)} at ${offset}: span crosses a line`);
      };
      // The finished file, at every offset.
      for (let offset = 0; offset <= bytes.length; offset++) check({ bytes }, offset);
      // Each prefix, as it is typed, with the cursor at its end.
      for (let n = 0; n <= text.length; n++) {
        const prefix = new TextEncoder().encode(text.slice(0, n));
        check({ bytes: prefix }, prefix.length);
      }
    }
    assert.ok(results > 300, `only ${results} completions`);
  });
});

describe('pathological files', () => {
  test('a file too large to analyse gets no completion', () => {
    const big = new TextEncoder().encode('managed_iam_policy("' + 'x'.repeat(600 * 1024));
    assert.equal(complete({ bytes: big }, big.length, iam), undefined);
  });

  test('deep nesting and very long lines are answered, and quickly', () => {
    const cases = ['['.repeat(3000) + ']'.repeat(10), 'iam_policy(' + '{a: '.repeat(500) + '1' + '}'.repeat(500) + ')', `iam_policy("P", Action: "s3:${'x'.repeat(200_000)}")`];
    for (const text of cases) {
      const bytes = new TextEncoder().encode(text);
      const t0 = performance.now();
      for (let k = 0; k < 20; k++) complete({ bytes }, Math.floor((k / 20) * bytes.length), iam);
      const ms = (performance.now() - t0) / 20;
      assert.ok(ms < 100, `${text.slice(0, 30)}…: ${ms.toFixed(1)} ms per request`);
    }
    const nested = new TextEncoder().encode('['.repeat(3000));
    assert.equal(complete({ bytes: nested }, 2000, iam), undefined);
  });
});

describe("an opened file's lists, prepared after its first check", () => {
  const FILE = [
    'iam_policy("A", [',
    '  { Action: ["s3:GetObject", "sqs:SendMessage"], Effect: "Allow", Resource: "*", Condition: { StringEquals: { "aws:<|>" => "x" } } },',
    '  { Action: "kms:Decrypt", Effect: "Allow", Resource: "*" },',
    '  { Action: ["sqs:SendMessage", "S3:GetObject"], Effect: "Allow", Resource: "*" },',
    '])',
    '',
  ].join('\n');

  /** A fresh knowledge whose condition-key and action lookups are counted. */
  async function counted(): Promise<{ k: IamKnowledge; lookups: () => [number, number] }> {
    const k = new IamKnowledge(fileLoader(await ensureDataDir()));
    let keys = 0;
    let actions = 0;
    const ownKeys = k.conditionKeysForActions.bind(k);
    const ownActions = k.listActions.bind(k);
    k.conditionKeysForActions = (a) => (keys++, ownKeys(a));
    k.listActions = (p) => (actions++, ownActions(p));
    return { k, lookups: () => [keys, actions] };
  }

  test("each statement's condition keys and its services' actions are built once, and a first completion there builds nothing", async () => {
    const { k, lookups } = await counted();
    const m = mark(FILE);
    // s3's and sqs's actions and the keys of {s3:GetObject, sqs:SendMessage}; kms's actions and the keys of kms:Decrypt;
    // the third statement has the first one's actions in another order and case.
    assert.equal(prepareFileLists(k, m.analysis.model, 1000), 5);
    assert.deepEqual(lookups(), [2, 3]);
    const keys = must(complete(m.analysis, m.offset, k));
    assert.equal(keys.context, 'conditionKey');
    entry(keys, 's3:ExistingObjectTag/<key>');
    entry(keys, 'aws:SourceIp');
    const kms = mark(FILE.replace('<|>', '').replace('"kms:Decrypt"', '"kms:<|>Decrypt"'));
    assert.equal(must(complete(kms.analysis, kms.offset, k)).context, 'actions');
    assert.deepEqual(lookups(), [2, 3], 'the completions used the prepared lists');
    assert.equal(prepareFileLists(k, m.analysis.model, 1000), 0, 'nothing is built twice');
  });

  test('the preparation stops at its time budget', async () => {
    const { k, lookups } = await counted();
    let t = 0;
    // One tick per reading of the clock: the budget lets the first statement through, not the second.
    assert.equal(prepareFileLists(k, mark(FILE).analysis.model, 1.5, () => t++), 3);
    assert.deepEqual(lookups(), [1, 2]);
  });
});

