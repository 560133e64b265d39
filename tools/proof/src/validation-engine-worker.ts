/**
 * The worker thread of `PrewarmedValidationEngine`: connects to a resident
 * engine if one answers, or else builds aws-cdk-lib's own
 * `CloudFormationValidatePlugin` and warms its engine; then validates the
 * batches the main thread sends. Runs only inside a worker thread.
 */
import * as net from 'net';
import { MessagePort, parentPort, workerData } from 'worker_threads';
import type { EngineReply, EngineRequest, EngineWorkerData } from './engine-protocol';
import { warmValidationPlugin } from './engine-warmup';

const { replies, signal, rules, resourceTypes, residentAddress, buildLocally } = workerData as EngineWorkerData & { replies: MessagePort };

/** How long the worker tries to reach a resident engine before building its own. */
const CONNECT_TIMEOUT_MS = 500;

/** Post a reply and wake the main thread, which may be blocked in `Atomics.wait` for it. */
function reply(message: EngineReply): void {
  replies.postMessage(message);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

void (async () => {
  const socket = residentAddress ? await connect(residentAddress) : undefined;
  if (socket) useResident(socket);
  else if (buildLocally) buildHere();
  else reply({ kind: 'absent' });
})();

/** Forward every batch to the resident engine and its replies to the main thread. */
function useResident(socket: net.Socket): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      reply(JSON.parse(buffered.slice(0, end)) as EngineReply);
      buffered = buffered.slice(end + 1);
    }
  });
  // The main thread then validates what is still pending itself; nothing is lost but time.
  socket.on('close', () => reply({ kind: 'failed', error: 'the resident engine closed the connection' }));
  parentPort!.on('message', (request: EngineRequest) => socket.write(`${JSON.stringify(request)}\n`));
  reply({ kind: 'ready', resident: true });
}

function buildHere(): void {
  let plugin: ReturnType<typeof warmValidationPlugin>;
  try {
    plugin = warmValidationPlugin(rules, resourceTypes);
    reply({ kind: 'ready', resident: false });
  } catch (error) {
    // The main thread then validates in its own thread; nothing is lost but time.
    reply({ kind: 'failed', error: String(error) });
    return;
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
}

/** A connection to the resident engine at `address`, or `undefined` if none answers in time. */
function connect(address: string): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    const timer = setTimeout(() => { socket.destroy(); resolve(undefined); }, CONNECT_TIMEOUT_MS);
    socket.once('connect', () => { clearTimeout(timer); resolve(socket); });
    socket.once('error', () => { clearTimeout(timer); resolve(undefined); });
  });
}
