// Generates realistic role files of a given number of lines for the benchmark and the fuzz test:
// inline policies with several statements (actions, resources, conditions) and managed policies.
const SERVICES = [
  ['s3', ['GetObject', 'PutObject', 'ListBucket', 'DeleteObject', 'GetBucketLocation']],
  ['sqs', ['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes']],
  ['dynamodb', ['GetItem', 'PutItem', 'Query', 'UpdateItem', 'BatchGetItem']],
  ['logs', ['CreateLogStream', 'PutLogEvents', 'DescribeLogGroups']],
  ['ssm', ['GetParameters', 'GetParameter', 'GetParametersByPath']],
  ['secretsmanager', ['GetSecretValue', 'DescribeSecret']],
  ['kms', ['Decrypt', 'GenerateDataKey']],
  ['sns', ['Publish']],
];
const MANAGED = ['AmazonSSMReadOnlyAccess', 'service-role/AmazonECSTaskExecutionRolePolicy', 'CloudWatchLogsReadOnlyAccess', 'AmazonS3ReadOnlyAccess'];

/** One policy block (about 14 lines). */
function policy(i) {
  const [svc, actions] = SERVICES[i % SERVICES.length];
  const a = actions.slice(0, 2 + (i % 3)).map((x) => `"${svc}:${x}"`);
  return [
    `# Policy ${i}: access for the ${svc} integration (Zugriff für Dienst ${i})`,
    `iam_policy("Policy${i}${svc[0].toUpperCase()}${svc.slice(1)}", [`,
    '  {',
    `    Sid: "Read${i}",`,
    `    Action: [${a.join(', ')}],`,
    '    Effect: "Allow",',
    `    Resource: "arn:aws:${svc}:us-east-1:123456789012:*",`,
    `    Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } },`,
    '  },',
    '  {',
    `    Action: "${svc}:${actions[0]}",`,
    '    Effect: "Deny",',
    '    Resource: "*",',
    '  },',
    '])',
  ];
}

export function generateRoleFile(lines) {
  const out = [`managed_iam_policy(${MANAGED.map((m) => `"${m}"`).join(', ')})`, ''];
  let i = 0;
  while (out.length + 15 <= lines) out.push(...policy(i++));
  while (out.length < lines) out.push('# padding');
  return out.join('\n') + '\n';
}

/** Position (line, character) just after the first occurrence of `needle` at or after line `from`. */
function positionAfter(text, needle, from = 0) {
  const lines = text.split('\n');
  for (let l = from; l < lines.length; l++) {
    const i = lines[l].indexOf(needle);
    if (i >= 0) return { line: l, character: i + needle.length };
  }
  throw new Error(`${needle} not found`);
}

/** Inside the indentation of the first `    Effect:` line after line 2: a hover there has nothing to say. */
function blankPosition(text) {
  const p = positionAfter(text, '    Effect:', 2);
  return { line: p.line, character: 2 };
}

/** Where the benchmark asks: action values after `s3:`, managed policy names after `Amazon`, condition keys after `aws:`, a hover on an action, a hover with nothing to say. */
export function benchPositions(text) {
  return {
    actionPos: positionAfter(text, 'Action: ["s3:', 2),
    managedPos: positionAfter(text, 'managed_iam_policy("Amazon'),
    condPos: positionAfter(text, '{ StringEquals: { "aws:', 2),
    hoverPos: positionAfter(text, 'Action: ["s3:Get', 2),
    blankPos: blankPosition(text),
    /** In the comment above the first iam_policy call: an edit there is outside every call, inside that comment. */
    commentPos: positionAfter(text, '# Policy 0: access'),
    /** At the start of that comment's line, before its `#`: an edit there is between two calls, and the whole file is parsed. */
    betweenPos: { line: positionAfter(text, '# Policy 0: access').line, character: 0 },
  };
}
