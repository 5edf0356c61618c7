// Loads the AWS apply path (server/src/aws, with the AWS SDK) only when a plan or apply needs it.
// In the bundles, `../aws` is the separate file dist/aws.js (see scripts/build.mjs), so the SDK never
// weighs on the language server's start; from source (tests) it is the TypeScript module.
export type AwsModule = typeof import('../aws');

let cached: AwsModule | undefined;

export function loadAws(): AwsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cached ??= require('../aws') as AwsModule;
  return cached;
}
