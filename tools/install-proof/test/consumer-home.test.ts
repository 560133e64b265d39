/**
 * Where the consumer projects live: outside the workspace, and one folder per clone, so two runs at
 * once (a developer's tree and CI's clone) never install into or read from each other's projects.
 */
import * as os from 'os';
import * as path from 'path';
import { consumerHome, workspaceRoot } from '../src';

const root = workspaceRoot();

test('each clone installs into a consumer folder of its own, so two runs at once never share one', () => {
  const moved = process.env.KEELSON_CONSUMER_HOME;
  delete process.env.KEELSON_CONSUMER_HOME;
  try {
    expect(consumerHome('/clones/a/keelson')).not.toBe(consumerHome('/clones/b/keelson'));
    expect(consumerHome('/clones/a/keelson')).toBe(consumerHome('/clones/a/keelson/'));
    expect(path.dirname(consumerHome(root))).toBe(os.tmpdir());
  } finally {
    if (moved !== undefined) process.env.KEELSON_CONSUMER_HOME = moved;
  }
});

test('KEELSON_CONSUMER_HOME moves it', () => {
  const moved = process.env.KEELSON_CONSUMER_HOME;
  process.env.KEELSON_CONSUMER_HOME = path.join(os.tmpdir(), 'elsewhere');
  try {
    expect(consumerHome(root)).toBe(path.join(os.tmpdir(), 'elsewhere'));
  } finally {
    if (moved === undefined) delete process.env.KEELSON_CONSUMER_HOME;
    else process.env.KEELSON_CONSUMER_HOME = moved;
  }
});
