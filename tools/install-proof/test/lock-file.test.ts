import { compareLockFiles, LockFile } from '../src/lock-file';

const committed: LockFile = {
  name: 'keelson',
  lockfileVersion: 3,
  packages: {
    '': { name: 'keelson', devDependencies: { nx: '24.0.6' } },
    'node_modules/nx': { version: '24.0.6', dev: true },
    'node_modules/@nx/nx-linux-x64-gnu': { version: '24.0.6', optional: true, os: ['linux'], cpu: ['x64'] },
  },
};

function withPackages(packages: LockFile['packages'], top: Partial<LockFile> = {}): LockFile {
  return { ...committed, ...top, packages: { ...committed.packages, ...packages } };
}

describe('compareLockFiles', () => {
  test('an unchanged lock file is neither completed nor drift', () => {
    expect(compareLockFiles(committed, JSON.parse(JSON.stringify(committed)))).toEqual({ completed: [], drift: [] });
  });

  test('key order alone is no difference', () => {
    const reordered: LockFile = { packages: committed.packages, lockfileVersion: 3, name: 'keelson' };
    expect(compareLockFiles(committed, reordered).drift).toEqual([]);
  });

  test("other platforms' optional binaries added by npm are completion, not drift", () => {
    const current = withPackages({
      'node_modules/@nx/nx-darwin-arm64': { version: '24.0.6', optional: true, os: ['darwin'], cpu: ['arm64'] },
      'node_modules/@nx/nx-win32-x64-msvc': { version: '24.0.6', optional: true, os: ['win32'], cpu: ['x64'] },
    });
    expect(compareLockFiles(committed, current)).toEqual({
      completed: ['node_modules/@nx/nx-darwin-arm64', 'node_modules/@nx/nx-win32-x64-msvc'],
      drift: [],
    });
  });

  test('a new dependency that is not optional is drift', () => {
    const current = withPackages({ 'node_modules/left-pad': { version: '1.3.0' } });
    expect(compareLockFiles(committed, current).drift).toEqual(['node_modules/left-pad added, and it is not optional']);
  });

  test('a changed version, a removed entry and a changed root are drift', () => {
    const packages = { ...committed.packages! };
    delete packages['node_modules/@nx/nx-linux-x64-gnu'];
    packages['node_modules/nx'] = { version: '24.0.7', dev: true };
    packages[''] = { name: 'keelson', devDependencies: { nx: '24.0.7' } };
    expect(compareLockFiles(committed, { ...committed, packages }).drift).toEqual([
      '(root) changed',
      'node_modules/nx changed',
      'node_modules/@nx/nx-linux-x64-gnu removed',
    ]);
  });

  test('a changed top-level field is drift', () => {
    expect(compareLockFiles(committed, withPackages({}, { lockfileVersion: 2 })).drift).toEqual(['top-level "lockfileVersion" changed']);
  });
});
