import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { resolveConfig } from './config';
import { buildPlatform } from './platform';

const app = new App();
// Context overrides: `-c keelson:environment=prod -c keelson:account=123456789012`.
const environment = app.node.tryGetContext('keelson:environment') ?? 'dev';
const account = app.node.tryGetContext('keelson:account') ?? process.env.CDK_DEFAULT_ACCOUNT;
const config = resolveConfig(environment, account ? { account } : {});

// cdk-nag 3 packs run as validation plugins: a finding fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
buildPlatform(app, config);
app.synth();
