// The connection to AWS: IAM and STS clients built from the SDK's default credential chain (environment,
// shared config/credentials files, SSO, credential_process, container/instance metadata) with optional
// profile, region and endpoint. The SDK is loaded lazily with `await import(...)` inside `openAwsSession`,
// so nothing that merely imports this module (or esbuild bundles it into) pays its ~200 ms load time
// (the SDK takes about 200 ms to load). Only files in server/src/aws/ may import the SDK, and only from here.
import type * as IamSdk from '@aws-sdk/client-iam';
import type * as StsSdk from '@aws-sdk/client-sts';
import type * as CfnSdk from '@aws-sdk/client-cloudformation';
import { AwsOperationError, errorCode, explainAwsError, redactSecrets, type CallContext } from './awsErrors';
import { trustForwardedCaCerts } from '../project/extraCaCerts';

export interface AwsOptions {
  /** A profile from the shared config/credentials files (like AWS_PROFILE). */
  profile?: string;
  /** IAM is global; the region only chooses the STS endpoint and signing. Default: the SDK's (AWS_REGION, the profile), else us-east-1. */
  region?: string;
  /**
   * An endpoint URL for IAM, STS and CloudFormation, e.g. a local emulator. Without it the SDK honours
   * AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_CLOUDFORMATION / AWS_ENDPOINT_URL (and
   * `endpoint_url` in the profile) by itself.
   */
  endpoint?: string;
  /** A separate STS endpoint; defaults to `endpoint`. */
  stsEndpoint?: string;
  /** Explicit credentials, bypassing the default chain (tests, or a caller that already holds them). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** The SDK's attempts per call (throttling and 5xx are retried). Default: the SDK's standard strategy (3). */
  maxAttempts?: number;
}

export interface Tag {
  Key: string;
  Value: string;
}

/** The raw live data of a role as IAM returns it (documents still URL-encoded). */
export interface RawRole {
  arn: string;
  path: string;
  assumeRolePolicyDocument: string;
}

/** The IAM calls plan and apply make. Every method reads every page and throws AwsOperationError on failure. */
export interface IamApi {
  /** Undefined when the role does not exist. */
  getRole(roleName: string): Promise<RawRole | undefined>;
  listRoleTags(roleName: string): Promise<Tag[]>;
  listRolePolicyNames(roleName: string): Promise<string[]>;
  /** The document as IAM returns it (URL-encoded). */
  getRolePolicy(roleName: string, policyName: string): Promise<string>;
  listAttachedRolePolicies(roleName: string): Promise<Array<{ arn: string; name: string }>>;
  createRole(roleName: string, assumeRolePolicyDocument: string, tags: Tag[]): Promise<{ arn: string }>;
  tagRole(roleName: string, tags: Tag[]): Promise<void>;
  updateAssumeRolePolicy(roleName: string, policyDocument: string): Promise<void>;
  putRolePolicy(roleName: string, policyName: string, policyDocument: string): Promise<void>;
  deleteRolePolicy(roleName: string, policyName: string): Promise<void>;
  attachRolePolicy(roleName: string, policyArn: string): Promise<void>;
  detachRolePolicy(roleName: string, policyArn: string): Promise<void>;
}

/** A resource of a CloudFormation stack, as DescribeStackResources returns it. */
export interface StackResource {
  logicalId: string;
  /** For an AWS::IAM::Role: the role name. */
  physicalId: string;
  type: string;
  status: string;
}

/** What the stack's own roles need from CloudFormation (read-only: ufo-iam never changes a stack). */
export interface CloudFormationApi {
  /**
   * Every resource of the stack (DescribeStackResources), or undefined when no stack of that name exists in the
   * session's region. Throws AwsOperationError on any other failure.
   */
  stackResources(stackName: string): Promise<StackResource[] | undefined>;
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface AwsSession {
  readonly region: string;
  /** The explicit endpoint, if any (never contains credentials). */
  readonly endpoint?: string;
  readonly iam: IamApi;
  /** CloudFormation, regional; its SDK client is loaded on the first call. */
  readonly cloudformation: CloudFormationApi;
  /** STS GetCallerIdentity, cached. */
  identity(): Promise<CallerIdentity>;
  /** Removes every credential this session knows of from a text. */
  redact(text: string): string;
  close(): void;
}

const FALLBACK_REGION = 'us-east-1';

/**
 * Opens a session: loads the SDK, resolves region and credentials (so a missing or expired login fails
 * here, with an explanation, rather than in the middle of a plan).
 */
export async function openAwsSession(options: AwsOptions = {}): Promise<AwsSession> {
  // The SDK warns on Node 20 about releases after January 2027; ours is pinned, so the
  // warning would only clutter the CLI's stderr and the extension host log.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Before any client (the credential providers' SSO and STS clients included) opens a connection: the user's
  // NODE_EXTRA_CA_CERTS, which the editor's server gets forwarded rather than loaded at its start.
  trustForwardedCaCerts();
  const iamSdk: typeof IamSdk = await import('@aws-sdk/client-iam');
  const stsSdk: typeof StsSdk = await import('@aws-sdk/client-sts');

  const secrets = new Set<string>();
  const addSecrets = (c: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } | undefined): void => {
    for (const v of [c?.accessKeyId, c?.secretAccessKey, c?.sessionToken]) if (v) secrets.add(v);
  };
  addSecrets(options.credentials);
  addSecrets({
    accessKeyId: process.env.AWS_ACCESS_KEY_ID,
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
    sessionToken: process.env.AWS_SESSION_TOKEN,
  });
  const redact = (text: string): string => redactSecrets(text, secrets);

  const common = {
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  };

  let region = options.region;
  if (!region) {
    const probe = new iamSdk.IAMClient({ ...common });
    try {
      region = await probe.config.region();
    } catch {
      region = FALLBACK_REGION;
    } finally {
      probe.destroy();
    }
  }

  const iamClient = new iamSdk.IAMClient({ ...common, region, ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
  const stsEndpoint = options.stsEndpoint ?? options.endpoint;
  const stsClient = new stsSdk.STSClient({ ...common, region, ...(stsEndpoint ? { endpoint: stsEndpoint } : {}) });
  let cfnClient: CfnSdk.CloudFormationClient | undefined;
  const close = (): void => {
    iamClient.destroy();
    stsClient.destroy();
    cfnClient?.destroy();
  };

  try {
    const credentials = (iamClient.config as unknown as { credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }> })
      .credentials;
    addSecrets(await credentials());
  } catch (e) {
    close();
    throw explainAwsError(e, { operation: 'ResolveCredentials', service: 'credentials', endpoint: options.endpoint }, secrets);
  }

  const call = async <T>(context: Omit<CallContext, 'endpoint'>, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      throw explainAwsError(e, { ...context, endpoint: context.service === 'sts' ? stsEndpoint : options.endpoint }, secrets);
    }
  };
  const iamCall = <T>(operation: string, ctx: Omit<CallContext, 'operation' | 'service' | 'endpoint'>, command: unknown): Promise<T> =>
    call({ operation, service: 'iam', ...ctx }, () => iamClient.send(command as Parameters<typeof iamClient.send>[0]) as Promise<T>);

  /** Follows Marker/IsTruncated until IAM has returned every page. */
  const allPages = async <Out extends { IsTruncated?: boolean; Marker?: string }, Item>(
    send: (marker: string | undefined) => Promise<Out>,
    items: (out: Out) => Item[] | undefined,
  ): Promise<Item[]> => {
    const all: Item[] = [];
    const seen = new Set<string>();
    let marker: string | undefined;
    for (;;) {
      const out = await send(marker);
      all.push(...(items(out) ?? []));
      if (!out.IsTruncated) return all;
      if (!out.Marker || seen.has(out.Marker)) throw new Error('IAM returned IsTruncated without a new Marker');
      seen.add(out.Marker);
      marker = out.Marker;
    }
  };

  const iam: IamApi = {
    async getRole(roleName) {
      try {
        const out = await iamClient.send(new iamSdk.GetRoleCommand({ RoleName: roleName }));
        const role = out.Role!;
        return { arn: role.Arn ?? '', path: role.Path ?? '/', assumeRolePolicyDocument: role.AssumeRolePolicyDocument ?? '' };
      } catch (e) {
        if ((e as { name?: string }).name === 'NoSuchEntityException') return undefined;
        throw explainAwsError(e, { operation: 'GetRole', service: 'iam', roleName, endpoint: options.endpoint }, secrets);
      }
    },
    listRoleTags: (roleName) =>
      allPages(
        (Marker) => iamCall<IamSdk.ListRoleTagsCommandOutput>('ListRoleTags', { roleName }, new iamSdk.ListRoleTagsCommand({ RoleName: roleName, Marker })),
        (out) => out.Tags?.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
      ),
    listRolePolicyNames: (roleName) =>
      allPages(
        (Marker) =>
          iamCall<IamSdk.ListRolePoliciesCommandOutput>('ListRolePolicies', { roleName }, new iamSdk.ListRolePoliciesCommand({ RoleName: roleName, Marker })),
        (out) => out.PolicyNames,
      ),
    async getRolePolicy(roleName, policyName) {
      const out = await iamCall<IamSdk.GetRolePolicyCommandOutput>(
        'GetRolePolicy',
        { roleName, policyName },
        new iamSdk.GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
      );
      return out.PolicyDocument ?? '';
    },
    listAttachedRolePolicies: (roleName) =>
      allPages(
        (Marker) =>
          iamCall<IamSdk.ListAttachedRolePoliciesCommandOutput>(
            'ListAttachedRolePolicies',
            { roleName },
            new iamSdk.ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker }),
          ),
        (out) => out.AttachedPolicies?.map((p) => ({ arn: p.PolicyArn ?? '', name: p.PolicyName ?? '' })),
      ),
    async createRole(roleName, doc, tags) {
      const out = await iamCall<IamSdk.CreateRoleCommandOutput>(
        'CreateRole',
        { roleName },
        new iamSdk.CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: doc, Tags: tags }),
      );
      return { arn: out.Role?.Arn ?? '' };
    },
    async tagRole(roleName, tags) {
      await iamCall('TagRole', { roleName }, new iamSdk.TagRoleCommand({ RoleName: roleName, Tags: tags }));
    },
    async updateAssumeRolePolicy(roleName, doc) {
      await iamCall('UpdateAssumeRolePolicy', { roleName }, new iamSdk.UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: doc }));
    },
    async putRolePolicy(roleName, policyName, doc) {
      await iamCall(
        'PutRolePolicy',
        { roleName, policyName },
        new iamSdk.PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: doc }),
      );
    },
    async deleteRolePolicy(roleName, policyName) {
      await iamCall('DeleteRolePolicy', { roleName, policyName }, new iamSdk.DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
    },
    async attachRolePolicy(roleName, policyArn) {
      await iamCall('AttachRolePolicy', { roleName, policyArn }, new iamSdk.AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
    },
    async detachRolePolicy(roleName, policyArn) {
      await iamCall('DetachRolePolicy', { roleName, policyArn }, new iamSdk.DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
    },
  };

  // Loaded on first use: only the stack target asks CloudFormation anything.
  let cfnSdk: typeof CfnSdk | undefined;
  const cloudformation: CloudFormationApi = {
    async stackResources(stackName) {
      cfnSdk ??= await import('@aws-sdk/client-cloudformation');
      cfnClient ??= new cfnSdk.CloudFormationClient({ ...common, region, ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
      try {
        // DescribeStackResources returns every resource of a stack in one page (CloudFormation caps it at 100; UFO's stacks hold about ten).
        const out = await cfnClient.send(new cfnSdk.DescribeStackResourcesCommand({ StackName: stackName }));
        return (out.StackResources ?? []).map((r) => ({
          logicalId: r.LogicalResourceId ?? '',
          physicalId: r.PhysicalResourceId ?? '',
          type: r.ResourceType ?? '',
          status: r.ResourceStatus ?? '',
        }));
      } catch (e) {
        // CloudFormation answers a missing stack with a ValidationError "Stack with id <name> does not exist".
        if (errorCode(e) === 'ValidationError' && /does not exist/.test(String((e as { message?: string }).message))) return undefined;
        throw explainAwsError(e, { operation: 'DescribeStackResources', service: 'cloudformation', endpoint: options.endpoint }, secrets);
      }
    },
  };

  let identity: Promise<CallerIdentity> | undefined;
  return {
    region,
    endpoint: options.endpoint,
    iam,
    cloudformation,
    identity() {
      identity ??= call({ operation: 'GetCallerIdentity', service: 'sts' }, async () => {
        const out = await stsClient.send(new stsSdk.GetCallerIdentityCommand({}));
        return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
      });
      // A failed lookup is not cached, so a later call can retry it.
      identity.catch(() => (identity = undefined));
      return identity;
    },
    redact,
    close,
  };
}

export { AwsOperationError };
