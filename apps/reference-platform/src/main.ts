import { configFromContext } from './config';
import { buildPlatform } from './platform';
import { platformApp } from './platform-app';

const app = platformApp();
buildPlatform(app, configFromContext(app.node));
app.synth();
