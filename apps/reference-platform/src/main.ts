import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { configFromContext } from './config';
import { buildPlatform } from './platform';

const app = new App();
// cdk-nag 3 packs run as validation plugins: an unacknowledged finding fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
buildPlatform(app, configFromContext(app.node));
app.synth();
