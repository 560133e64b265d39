/**
 * The resident CloudFormation validation engine's process (see
 * `ResidentValidationEngine`): reads its start file (its one argument),
 * listens on its Unix socket, builds aws-cdk-lib's own plugin and answers
 * batches, one JSON line per request and per reply, until it is idle for too
 * long or its socket file is removed. Not part of the harness's API.
 */
import * as fs from 'fs';
import * as net from 'net';
import type { CloudFormationValidatePlugin } from 'aws-cdk-lib';
import type { EngineReply, EngineRequest } from './engine-protocol';
import { warmValidationPlugin } from './engine-warmup';
import type { ResidentEngineStart } from './resident-validation-engine';

/** How often the process checks that its socket file is still its own. */
const SOCKET_CHECK_MS = 1000;

const startFile = process.argv[2];
const startMessage = JSON.parse(fs.readFileSync(startFile, 'utf8')) as ResidentEngineStart;
fs.rmSync(startFile, { force: true });
serve(startMessage);

function serve(start: ResidentEngineStart): void {
  let plugin: CloudFormationValidatePlugin | undefined;
  const engineTypes = new Set(start.resourceTypes);
  let idle: NodeJS.Timeout | undefined;
  let socketInode: number | undefined;

  const exit = () => {
    // Remove the socket only if it is still ours (a newer engine may have taken the name).
    if (socketInode !== undefined && inode(start.address) === socketInode) fs.rmSync(start.address, { force: true });
    process.exit(0);
  };
  const resetIdle = () => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(exit, start.idleMs);
  };

  const answer = (request: EngineRequest): EngineReply => {
    try {
      // aws-cdk-lib rebuilds its engine for a batch with a type the engine was not built for, and
      // only for that batch's types; build it once for every type seen instead, so batches of
      // different stacks do not rebuild it in turn.
      const types = request.stackTemplates.flatMap((s) => Object.values<{ Type?: string }>(JSON.parse(fs.readFileSync(s.templatePath, 'utf8')).Resources ?? {}))
        .map((r) => r.Type).filter((t): t is string => typeof t === 'string');
      if (!plugin || types.some((t) => !engineTypes.has(t))) {
        types.forEach((t) => engineTypes.add(t));
        plugin = warmValidationPlugin(start.rules, [...engineTypes]);
      }
      const { stackTemplates } = request;
      const report = plugin.validate({ templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates } as never);
      return { kind: 'report', id: request.id, report };
    } catch (error) {
      return { kind: 'error', id: request.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  };

  // A line that is not a request is answered with an error, and the engine goes on serving.
  const answerLine = (line: string): EngineReply => {
    let request: EngineRequest;
    try {
      request = JSON.parse(line) as EngineRequest;
      if (typeof request?.id !== 'number' || !Array.isArray(request.stackTemplates)) throw new Error('not a validation request');
    } catch (error) {
      console.error(`${new Date().toISOString()} refused a malformed request line: ${(error as Error).message}`);
      return { kind: 'error', id: -1, error: `malformed request: ${(error as Error).message}` };
    }
    return answer(request);
  };

  const server = net.createServer((connection) => {
    let buffered = '';
    resetIdle();
    connection.setEncoding('utf8');
    connection.on('error', () => connection.destroy());
    connection.on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        resetIdle();
        connection.write(`${JSON.stringify(answerLine(line))}\n`);
        resetIdle();
      }
    });
  });

  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') process.exit(1);
    // Another engine listens there: leave it be. A socket file nobody listens on is stale: replace it.
    const probe = net.connect(start.address);
    probe.on('connect', () => process.exit(0));
    probe.on('error', () => {
      fs.rmSync(start.address, { force: true });
      server.listen(start.address);
    });
  });

  // The socket is bound inside a directory only its owner can enter (checked before every use),
  // then made readable and writable by its owner only. The process umask is never changed.
  server.listen(start.address, () => {
    fs.chmodSync(start.address, 0o600);
    socketInode = inode(start.address);
    console.error(`${new Date().toISOString()} listening on ${start.address} (pid ${process.pid})`);
    setInterval(() => { if (inode(start.address) !== socketInode) exit(); }, SOCKET_CHECK_MS).unref();
    resetIdle();
    // Built after listening: a synth that connects meanwhile waits for the build, not for a second one.
    plugin = warmValidationPlugin(start.rules, [...engineTypes]);
  });
}

function inode(file: string): number | undefined {
  try {
    return fs.statSync(file).ino;
  } catch {
    return undefined;
  }
}
