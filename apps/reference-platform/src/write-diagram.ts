/**
 * `npx projen diagram`: synthesizes the reference platform (dev config, without the proof gates:
 * the diagram reads the structure, not the findings) and writes its architecture diagram into the
 * root README between the marks. test/diagram.test.ts fails when the README's copy is stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { resolveConfig } from './config';
import { embedDiagram, platformDiagram } from './diagram';
import { buildPlatform } from './platform';
import { platformApp } from './platform-app';

/** The root README, where the diagram is shown. */
export const README = path.join(__dirname, '..', '..', '..', 'README.md');

/** The reference platform's diagram: the dev config, regions named by their role. */
export function referenceDiagram(): string {
  const config = resolveConfig('dev');
  const app = platformApp({ gates: false });
  const platform = buildPlatform(app, config);
  const names: Record<string, string> = { [config.primary.region]: 'primary', [config.dr.region]: 'DR' };
  if (platform.billing) names[platform.billing.region] = 'global: billing';
  return platformDiagram(app.synth(), names);
}

if (require.main === module) {
  fs.writeFileSync(README, embedDiagram(fs.readFileSync(README, 'utf8'), referenceDiagram()));
  console.log(`architecture diagram written to ${path.relative(process.cwd(), README)}`);
}
