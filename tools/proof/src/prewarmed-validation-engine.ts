import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import { PolicyValidationPluginReport, PolicyValidationStack } from 'aws-cdk-lib';
import { EngineReply, EngineRequest, EngineWorkerData, ValidationRuleSet } from './engine-protocol';

/**
 * How long a synth waits for one batch (the engine's build included: about 2.4 s of CPU, and the
 * reference app's templates about 1 s more) before it gives up on the worker and validates in its
 * own thread. A dead worker or a hung engine costs at most this, never the synth.
 */
export const WORKER_DEADLINE_MS = 30 * 1000;

/**
 * aws-cdk-lib's CloudFormation validation engine, started in a worker thread
 * while the app is still being built.
 *
 * Building the engine costs about 2.4 s of CPU before the first template is
 * validated, whatever the template. A synth where a stack changed pays it on
 * top of construction and synthesis; started here, on the other core, it runs
 * while they do. A synth where every stack hits the cache never needs it, and
 * `dispose()` stops the worker. When a resident engine answers (see
 * `ResidentValidationEngine`), the worker only carries the batches to it and
 * back, and nothing is built at all.
 *
 * The worker runs aws-cdk-lib's own `CloudFormationValidatePlugin`, the same
 * class and version the main thread would, so a report is the same wherever
 * it was made. A plugin's `validate` is synchronous; the main thread waits with
 * `Atomics.wait` and reads the reply with `receiveMessageOnPort`. That is the
 * bridge `synckit` packages, written out here because a prewarmed engine needs
 * what it does not offer: the worker starts before the first call, and is
 * terminated when no call comes.
 *
 * If the worker fails (it could not start, or its engine threw while warming),
 * `validate` returns `undefined` and the caller validates in its own thread.
 */
export class PrewarmedValidationEngine {
  /**
   * Start the worker.
   * @param resourceTypes the resource types the engine is built for; later
   *   batches whose types are a subset reuse it (the last synth's, from the cache)
   * @param options `residentAddress`: a resident engine's socket to use if one
   *   answers there (`ResidentValidationEngine`); `buildLocally`: build an engine
   *   in the worker when none answers (default true)
   */
  public static start(
    rules: ValidationRuleSet, resourceTypes: string[], options: { residentAddress?: string; buildLocally?: boolean } = {},
  ): PrewarmedValidationEngine {
    return new PrewarmedValidationEngine(rules, resourceTypes, options.residentAddress, options.buildLocally ?? true);
  }

  /**
   * Whether a core is idle for the worker: the 1-minute load average is below
   * the core count less one half. Speculative work pays only on a core nobody
   * else wants; on a busy host it slows the synth that needs no engine (the
   * same test `make --load-average` makes before starting a job).
   */
  public static hasIdleCore(loadAverage = os.loadavg()[0], cores = os.availableParallelism()): boolean {
    return loadAverage < cores - 0.5;
  }

  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly received = new Map<number, EngineReply>();
  private nextId = 0;
  private state: 'warming' | 'ready' | 'failed' | 'disposed' = 'warming';
  private servedByResident = false;

  private constructor(rules: ValidationRuleSet, resourceTypes: string[], residentAddress: string | undefined, buildLocally: boolean) {
    const channel = new MessageChannel();
    this.replies = channel.port1;
    const data: EngineWorkerData & { replies: MessagePort } = {
      signal: this.signal, rules, resourceTypes, residentAddress, buildLocally, replies: channel.port2,
    };
    const [entry, options] = workerEntry();
    this.worker = new Worker(entry, { ...options, workerData: data, transferList: [channel.port2] });
    // A worker that dies or throws outside a batch is given up on (the main thread validates), never
    // left to crash the synth as an unhandled 'error' event. Both arrive while the main thread is
    // not blocked in `result`; a death during `result` ends at its deadline.
    this.worker.on('error', (error) => { if (this.usable) this.fail(`the worker failed: ${error.message}`); });
    this.worker.on('exit', (code) => { if (this.usable) this.fail(`the worker exited with code ${code}`); });
    // Neither keeps the process alive: a synth that never asks ends without waiting for the engine.
    this.worker.unref();
    this.replies.unref();
  }

  /** Whether the worker is still usable (warming or warm). */
  public get usable(): boolean {
    return this.state === 'warming' || this.state === 'ready';
  }

  /** Whether the worker reached a resident engine (known once it is ready; read after `result`). */
  public get resident(): boolean {
    this.drain();
    return this.servedByResident;
  }

  /** Send a batch to the worker without waiting; `result(id)` waits for it. */
  public submit(stackTemplates: PolicyValidationStack[]): number | undefined {
    if (!this.usable) return undefined;
    const id = ++this.nextId;
    const request: EngineRequest = { id, stackTemplates };
    this.worker.postMessage(request);
    return id;
  }

  /**
   * The report of batch `id`, waiting for it; `undefined` when the worker
   * failed (validate in this thread instead). A validation error inside the
   * worker is rethrown here, as the plugin would have thrown it.
   */
  public result(id: number, deadlineMs = WORKER_DEADLINE_MS): PolicyValidationPluginReport | undefined {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const reply = this.received.get(id);
      if (reply?.kind === 'report') return reply.report;
      if (reply?.kind === 'error') throw new Error(`CloudFormation validation (engine worker): ${reply.error}`);
      if (!this.usable) return undefined;
      const seen = Atomics.load(this.signal, 0);
      if (!this.drain()) {
        if (Date.now() > deadline) {
          this.fail(`no reply within ${Math.round(deadlineMs / 1000)} s`);
          return undefined;
        }
        Atomics.wait(this.signal, 0, seen, Math.min(1000, Math.max(1, deadline - Date.now())));
      }
    }
  }

  /** Stop the worker (a synth that needs no engine, or the end of one). */
  public dispose(): void {
    if (this.state === 'disposed') return;
    this.state = 'disposed';
    this.replies.close();
    void this.worker.terminate();
  }

  /** Read every reply waiting on the port; true if there was one. */
  private drain(): boolean {
    let any = false;
    // A reply can end the worker (`absent`, `failed`); its port is closed then, and nothing more is read.
    while (this.usable) {
      const message = receiveMessageOnPort(this.replies);
      if (!message) break;
      any = true;
      const reply = message.message as EngineReply;
      if (reply.kind === 'ready') {
        if (this.state === 'warming') this.state = 'ready';
        this.servedByResident = reply.resident;
      } else if (reply.kind === 'absent') {
        this.dispose();
      } else if (reply.kind === 'failed') {
        this.fail(reply.error);
      } else {
        this.received.set(reply.id, reply);
      }
    }
    return any;
  }

  private fail(reason: string): void {
    process.emitWarning(`the prewarmed CloudFormation validation engine is not used (${reason.replace(/\s+/g, ' ').trim()}); validating in the main thread`);
    this.dispose();
    this.state = 'failed';
  }
}

/**
 * The worker's script: the compiled `.js` beside this file, or, when this file
 * runs as TypeScript (the harness's own tests), the `.ts` through ts-node.
 */
function workerEntry(): [string, { eval?: boolean }] {
  const js = path.join(__dirname, 'validation-engine-worker.js');
  if (fs.existsSync(js)) return [js, {}];
  const ts = path.join(__dirname, 'validation-engine-worker.ts');
  return [`require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(ts)});`, { eval: true }];
}
