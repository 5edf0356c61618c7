// Shared setup for tests that talk to the IAM emulator through the real SDK: recognisable fake
// credentials, an environment that can never reach the developer's ~/.aws, and UFO-shaped role resources.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openAwsSession, type AwsOptions, type AwsSession } from '../../server/src/aws/session';
import { startIamEndpoint, type IamEndpoint, type IamEndpointOptions } from './iamEndpoint';

/** Fake credentials that are easy to spot if they ever leak into a message or log. */
export const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIAUFOIAMFAKEKEY001',
  secretAccessKey: 'ufoIamFakeSecret/NeverShowThis+0123456789',
  sessionToken: 'UfoIamFakeSessionToken/NeverShowThisEither+ZZZZ==',
} as const;

export const FAKE_SECRETS: readonly string[] = Object.values(FAKE_CREDENTIALS);

/** Asserts-free helper: the fake secrets found in a text (empty when clean). */
export function leakedSecrets(text: string): string[] {
  return FAKE_SECRETS.filter((s) => text.includes(s));
}

const AWS_VARS = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_IAM',
  'AWS_ENDPOINT_URL_STS',
  'AWS_ENDPOINT_URL_CLOUDFORMATION',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
];

/**
 * Points the SDK's shared config and credentials files at an empty scratch directory, clears every AWS_*
 * variable that could select real credentials, and disables the instance metadata lookup. Call at the top
 * of each test file; the returned function restores the previous environment.
 */
export function isolateAwsEnvironment(): { dir: string; restore: () => void } {
  const saved = new Map<string, string | undefined>();
  const set = (k: string, v: string | undefined): void => {
    if (!saved.has(k)) saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-aws-'));
  set('AWS_CONFIG_FILE', path.join(dir, 'config'));
  set('AWS_SHARED_CREDENTIALS_FILE', path.join(dir, 'credentials'));
  set('AWS_EC2_METADATA_DISABLED', 'true');
  set('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
  for (const k of AWS_VARS) set(k, undefined);
  return {
    dir,
    restore() {
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Session options for the emulator: explicit endpoint and fake credentials, one attempt per call. */
export function emulatorOptions(endpoint: IamEndpoint, extra: AwsOptions = {}): AwsOptions {
  return { endpoint: endpoint.url, region: 'us-east-1', credentials: { ...FAKE_CREDENTIALS }, maxAttempts: 1, ...extra };
}

/** Starts an emulator and a session against it, runs `fn`, and always closes both. */
export async function withEmulator<T>(
  fn: (ctx: { endpoint: IamEndpoint; session: AwsSession }) => Promise<T>,
  options: { endpoint?: IamEndpointOptions; session?: AwsOptions } = {},
): Promise<T> {
  const endpoint = await startIamEndpoint(options.endpoint);
  let session: AwsSession | undefined;
  try {
    session = await openAwsSession(emulatorOptions(endpoint, options.session));
    return await fn({ endpoint, session });
  } finally {
    session?.close();
    await endpoint.close();
  }
}

/** The trust policy UFO gives both roles (docs/ufo-semantics.md §6). */
export const UFO_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/**
 * A role resource shaped exactly like UFO's builder output (docs/ufo-semantics.md §6): `policies` are
 * `[name, statements]` pairs, `managed` are names or ARNs mapped the way UFO maps them (§2.3).
 */
export function ufoRoleResource(spec: { policies?: Array<[string, unknown[]]>; managed?: string[] }): unknown {
  const properties: Record<string, unknown> = { AssumeRolePolicyDocument: structuredClone(UFO_TRUST_POLICY) };
  if (spec.policies && spec.policies.length > 0) {
    properties.Policies = spec.policies.map(([name, statements]) => ({
      PolicyName: name,
      PolicyDocument: { Version: '2012-10-17', Statement: statements },
    }));
  }
  if (spec.managed && spec.managed.length > 0) {
    properties.ManagedPolicyArns = spec.managed.map((m) => (m.includes('iam::aws:policy') ? m : `arn:aws:iam::aws:policy/${m}`));
  }
  return { Type: 'AWS::IAM::Role', Properties: properties };
}

/** Puts the fake credentials into this process's environment, where the SDK's default chain finds them as a user's. */
export function useFakeCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = FAKE_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = FAKE_CREDENTIALS.secretAccessKey;
  process.env.AWS_SESSION_TOKEN = FAKE_CREDENTIALS.sessionToken;
}
