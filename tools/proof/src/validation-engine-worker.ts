/**
 * The worker thread of `PrewarmedValidationEngine`: builds aws-cdk-lib's own
 * `CloudFormationValidatePlugin`, warms its engine, then validates the batches
 * the main thread sends. Runs only inside a worker thread.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessagePort, parentPort, workerData } from 'worker_threads';
import { CloudFormationValidatePlugin, PolicyValidationStack } from 'aws-cdk-lib';
import type { EngineReply, EngineRequest, EngineWorkerData } from './engine-protocol';

const { replies, signal, rules, resourceTypes } = workerData as EngineWorkerData & { replies: MessagePort };

/** Post a reply and wake the main thread, which may be blocked in `Atomics.wait` for it. */
function reply(message: EngineReply): void {
  replies.postMessage(message);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

const plugin = new CloudFormationValidatePlugin(rules);
try {
  warm(plugin, resourceTypes);
  reply({ kind: 'ready' });
} catch (error) {
  // The main thread then validates in its own thread; nothing is lost but time.
  reply({ kind: 'failed', error: String(error) });
}

parentPort!.on('message', (request: EngineRequest) => {
  try {
    const { stackTemplates } = request;
    const report = plugin.validate({ templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates } as never);
    reply({ kind: 'report', id: request.id, report });
  } catch (error) {
    reply({ kind: 'error', id: request.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});

/**
 * Build the engine for `resourceTypes` and run one validation through it.
 *
 * aws-cdk-lib builds the engine on the first `validate` for the resource types
 * of the templates it is given, and reuses it while later templates' types are
 * a subset. One resource of each type the last synth used makes that first
 * build the one later batches reuse; the throwaway validation also pays the
 * engine's lazy first-call setup (about 0.3 s).
 */
function warm(validator: CloudFormationValidatePlugin, types: string[]): void {
  const template = { Resources: Object.fromEntries(types.map((type, i) => [`Warm${i}`, { Type: type }])) };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-engine-warmup-')), 'warmup.template.json');
  try {
    fs.writeFileSync(file, JSON.stringify(template));
    const stack: PolicyValidationStack = { stackConstructPath: 'Warmup', templatePath: file, accountId: undefined, region: undefined };
    validator.validate({ templatePaths: [file], stackTemplates: [stack] } as never);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
