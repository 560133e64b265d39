import * as fs from 'fs';
import * as path from 'path';

/**
 * The feature flags aws-cdk-lib recommends for a new app, read from the installed aws-cdk-lib
 * (`recommended-feature-flags.json`, what `cdk init` writes into cdk.json). projen writes them into
 * the app's cdk.json, so they are frozen there: an aws-cdk-lib upgrade that recommends new ones
 * shows up as a cdk.json diff in review, never as a silent change to what deploys.
 */
export function recommendedFeatureFlags(appDir: string): Record<string, unknown> {
  let file: string;
  try {
    file = require.resolve('aws-cdk-lib/recommended-feature-flags.json', { paths: [path.resolve(appDir)] });
  } catch {
    throw new Error(`aws-cdk-lib is not installed under ${appDir}: run 'npm ci' before 'npx projen'`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
