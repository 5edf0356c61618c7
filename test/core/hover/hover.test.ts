// Hover markdown and spans for each kind of IAM string or key, over the real IAM data.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hover, type HoverResult } from '../../../server/src/core/hover/hover';
import type { IamKnowledge } from '../../../server/src/core/iam/iamKnowledge';
import { knowledge } from '../iam/iamData';
import { mark, slice } from '../cursor/cursor';

let iam: IamKnowledge;
before(async () => {
  iam = await knowledge();
});

function at(input: string): { result: HoverResult; on: string } {
  const m = mark(input);
  const result = hover(m.analysis, m.offset, iam);
  assert.ok(result, `no hover at ${input}`);
  assert.match(result.markdown, /_IAM data of \d{4}-\d{2}-\d{2}|_Managed policies as of \d{4}-\d{2}-\d{2}/, 'every hover names the data date');
  return { result, on: slice(m, result.span) };
}

describe('actions, wildcards and services', () => {
  test('an action: service, access level, description, resource types, keys, link, data date', () => {
    const { result, on } = at('iam_policy("P", Action: ["s3:Get<|>Object"], Effect: "Allow", Resource: "*")');
    assert.equal(on, '"s3:GetObject"');
    const md = result.markdown;
    assert.match(md, /^\*\*s3:GetObject\*\* — Amazon S3 · Read/);
    assert.match(md, /Grants permission to retrieve objects from Amazon S3/);
    assert.match(md, /\| `object` \| `arn:\$\{Partition\}:s3:::\$\{BucketName\}\/\$\{ObjectName\}` \|/);
    assert.match(md, /\*\*Condition keys:\*\* .*`s3:ExistingObjectTag\/<key>`/);
    assert.match(md, /\(https:\/\/docs\.aws\.amazon\.com\/service-authorization\/latest\/reference\/list_amazons3\.html\)/);
    assert.ok(md.endsWith(`_IAM data of ${iam.provenance.dataDate} (${iam.provenance.iamData.package} ${iam.provenance.iamData.version})_`));
  });

  test('the NotAction reading; an action without resource-level permissions', () => {
    assert.match(at('iam_policy("P", Action: "s3:ListAllMy<|>Buckets")').result.markdown, /only `"\*"` \(the action has no resource-level permissions\)/);
    assert.match(at('iam_policy("P", NotAction: "iam:PassRole<|>")').result.markdown, /every action \*\*except\*\* this one/);
  });

  test('an unknown action suggests the close one', () => {
    const { result } = at('iam_policy("P", Action: "s3:GetObjekt<|>")');
    assert.match(result.markdown, /unknown action/);
    assert.match(result.markdown, /Did you mean `s3:GetObject`/);
    assert.match(at('iam_policy("P", Action: "s4:GetObject<|>")').result.markdown, /unknown service `s4`/);
  });

  test('a wildcard: how many actions it grants, by access level', () => {
    const { result, on } = at('iam_policy("P", Action: ["s3:List<|>*"])');
    assert.equal(on, '"s3:List*"');
    const n = iam.matchActions('s3:List*').length;
    assert.match(result.markdown, new RegExp(`wildcard: ${n} actions of Amazon S3`));
    // The actions AWS's own managed policies grant most come first (not ListAccessGrants, the first by name).
    assert.match(result.markdown, new RegExp(`\\| List \\| ${n} \\| \`ListBucket\`, \`ListAllMyBuckets\``));
    assert.match(at('iam_policy("P", Action: ["s3:Get<|>*"])').result.markdown, /\| Read \| \d+ \| `GetObject`, /);
    const all = at('iam_policy("P", NotAction: "*<|>")').result.markdown;
    assert.match(all, /wildcard: [\d,]+ actions in [\d,]+ services/);
    assert.match(all, /… and \d+ more/);
    assert.match(at('iam_policy("P", Action: "s3:Nope*<|>")').result.markdown, /matches no action/);
  });

  test('the service prefix part of an action, and a bare prefix', () => {
    const { result, on } = at('iam_policy("P", Action: ["s<|>3:GetObject"])');
    assert.equal(on, 's3');
    assert.match(result.markdown, /^\*\*s3\*\* — Amazon S3/);
    assert.match(result.markdown, /\d+ actions: List \d+ · Read \d+/);
    assert.equal(at('iam_policy("P", Action: ["sq<|>s"])').on, '"sqs"');
  });

  test('a literal with escapes is looked up by its value', () => {
    assert.match(at('iam_policy("P", Action: "s3:Get\\x4fbject<|>")').result.markdown, /^\*\*s3:GetObject\*\*/);
  });
});

describe('managed policies', () => {
  test('ARN, path, description and what its document grants by access level', () => {
    const { result, on } = at('managed_iam_policy("service-role/AmazonECSTask<|>ExecutionRolePolicy")');
    assert.equal(on, '"service-role/AmazonECSTaskExecutionRolePolicy"');
    const md = result.markdown;
    assert.match(md, /^\*\*AmazonECSTaskExecutionRolePolicy\*\* — AWS managed policy/);
    assert.match(md, /`arn:aws:iam::aws:policy\/service-role\/AmazonECSTaskExecutionRolePolicy`/);
    assert.match(md, /\*\*Path:\*\* `service-role\/`/);
    assert.match(md, /\*\*Grants\*\* 6 actions in 2 services/);
    assert.match(md, /\| Read \| 4 \| `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`/);
    assert.match(md, /\| Write \| 2 \| `logs:CreateLogStream`, `logs:PutLogEvents` \|/);
    assert.doesNotMatch(md, /Wrong path/);
    assert.match(md, new RegExp(`_Managed policies as of ${iam.provenance.managedPoliciesDate}`));
  });

  test('a name without its path: what UFO would build instead', () => {
    assert.match(at('managed_iam_policy("AmazonECSTaskExecutionRolePolicy<|>")').result.markdown, /\*\*Wrong path:\*\* UFO builds `arn:aws:iam::aws:policy\/AmazonECSTaskExecutionRolePolicy`/);
  });

  test('retired and deprecated status; unknown names suggest', () => {
    const retired = iam.listManagedPolicies().find((p) => p.retired);
    if (retired) assert.match(at(`managed_iam_policy("${retired.path}${retired.name}<|>")`).result.markdown, /\(retired\)[\s\S]*possibly retired/);
    const deprecated = iam.listManagedPolicies().find((p) => p.deprecated && !p.retired);
    if (deprecated) assert.match(at(`managed_iam_policy("${deprecated.path}${deprecated.name}<|>")`).result.markdown, /deprecation path/);
    assert.ok(retired || deprecated);
    assert.match(at('managed_iam_policy("AmazonS3ReadOnlyAcess<|>")').result.markdown, /not an AWS managed policy[\s\S]*Did you mean `AmazonS3ReadOnlyAccess`/);
  });
});

describe('conditions, keys, Effect, DSL methods', () => {
  test('condition operators, with their forms', () => {
    const { result, on } = at('iam_policy("P", Condition: { StringEq<|>uals: { "aws:SourceVpc" => "vpc-1" } })');
    assert.equal(on, 'StringEquals');
    assert.match(result.markdown, /condition operator[\s\S]*Exact match, case-sensitive/);
    const set = at('iam_policy("P", Condition: { "ForAllValues:StringLike<|>IfExists" => {} })');
    assert.equal(set.on, '"ForAllValues:StringLikeIfExists"');
    assert.match(set.result.markdown, /IfExists[\s\S]*ForAllValues:/);
    assert.match(at('iam_policy("P", Condition: { StringEqual<|>: {} })').result.markdown, /not an IAM condition operator[\s\S]*Did you mean `StringEquals`/);
  });

  test('condition keys: type, description, and which of the statement\'s actions list them', () => {
    const ip = at('iam_policy("P", Action: "s3:GetObject", Condition: { IpAddress: { "aws:Source<|>Ip" => "10.0.0.0/8" } })');
    assert.equal(ip.on, '"aws:SourceIp"');
    assert.match(ip.result.markdown, /^\*\*aws:SourceIp\*\* — IPAddress · global condition key/);
    const prefix = at('iam_policy("P", Action: "s3:ListBucket", Condition: { StringLike: { "s3:pre<|>fix": ["home/"] } })');
    assert.equal(prefix.on, '"s3:prefix"');
    assert.match(prefix.result.markdown, /condition key of s3[\s\S]*Listed by every action of this statement/);
    assert.match(at('iam_policy("P", Action: "s3:GetObject", Condition: { StringLike: { "s3:pre<|>fix": ["home/"] } })').result.markdown, /None of this statement's actions list this key/);
    assert.match(at('iam_policy("P", Condition: { StringEquals: { "aws:PrincipalTag/team<|>" => "a" } })').result.markdown, /Matches `aws:PrincipalTag\/tag-key`/);
  });

  test('statement keys: docs, case, and unknown keys', () => {
    const action = at('iam_policy("P", Act<|>ion: "s3:GetObject")');
    assert.equal(action.on, 'Action');
    assert.match(action.result.markdown, /^\*\*Action\*\* — IAM policy element/);
    assert.match(at('iam_policy("P", "Effect" => "Allow", "Res<|>ource" => "*")').result.markdown, /^\*\*Resource\*\*/);
    assert.match(at('iam_policy("P", act<|>ion: "s3:GetObject")').result.markdown, /case-sensitive[\s\S]*write `Action`/);
    assert.match(at('iam_policy("P", Act<|>ions: "s3:GetObject")').result.markdown, /not an IAM policy element[\s\S]*Did you mean `Action`/);
    assert.match(at('iam_policy("P", Princ<|>ipal: "*")').result.markdown, /IAM rejects `Principal` there/);
  });

  test('Effect values', () => {
    assert.match(at('iam_policy("P", Effect: "Al<|>low")').result.markdown, /^\*\*Allow\*\* — Effect/);
    assert.match(at('iam_policy("P", Effect: "de<|>ny")').result.markdown, /case-sensitively: write `Deny`/);
  });

  test('the DSL methods', () => {
    const { result, on } = at('managed_iam<|>_policy("A")');
    assert.equal(on, 'managed_iam_policy');
    assert.match(result.markdown, /arn:aws:iam::aws:policy\/<name>/);
    assert.match(at('iam_pol<|>icy("A", Action: "s3:GetObject")').result.markdown, /Exactly two arguments/);
  });

  test('nothing on the policy name, numbers, or outside the DSL', () => {
    for (const input of ['iam_policy("Na<|>me", Action: "x")', 'iam_policy("P", Action: "x", Resource: 4<|>2)', 'puts "s3:Get<|>Object"', '# Action: "s3:Get<|>Object"']) {
      const m = mark(input);
      assert.equal(hover(m.analysis, m.offset, iam), undefined, input);
    }
  });
});

describe('resources', () => {
  test('an ARN: the resource types it names, and the actions that cannot apply to it', () => {
    const { result, on } = at('iam_policy("P", Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::b/<|>*"])');
    assert.equal(on, '"arn:aws:s3:::b/*"');
    assert.match(result.markdown, /\| `s3 object` \| `arn:\$\{Partition\}:s3:::\$\{BucketName\}\/\$\{ObjectName\}` \| `s3:GetObject` \|/);
    assert.match(result.markdown, /Cannot apply to it: `s3:ListBucket`/);
  });

  test('"*": the actions that could be narrowed', () => {
    const { result } = at('iam_policy("P", Action: ["s3:GetObject", "s3:ListAllMyBuckets"], Resource: "*<|>")');
    assert.match(result.markdown, /all resources[\s\S]*could be narrowed to ARNs: `s3:GetObject`\./);
  });
});

describe('half-typed code and exact spans', () => {
  test('an unclosed string ends at its line', () => {
    const { on } = at('iam_policy("P", Action: ["s3:GetObj<|>ect\nmanaged_iam_policy("AmazonS3ReadOnlyAccess")\n');
    assert.equal(on, '"s3:GetObject');
  });

  test('umlauts and emoji before the string', () => {
    const { on, result } = at('iam_policy("Grüße 😀", Action: ["s3:Put<|>Object"])');
    assert.equal(on, '"s3:PutObject"');
    assert.match(result.markdown, /^\*\*s3:PutObject\*\*/);
  });
});
