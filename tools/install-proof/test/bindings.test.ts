import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssemblyTargets, bindingProblems, translationProblems } from '../src';

const assembly: AssemblyTargets = {
  name: '@keelson/x',
  version: '1.2.3',
  targets: {
    python: { distName: 'keelson.x', module: 'keelson.x' },
    java: { package: 'dev.keelson.x', maven: { groupId: 'dev.keelson', artifactId: 'x' } },
    dotnet: { namespace: 'Keelson.X', packageId: 'Keelson.X' },
    go: { moduleName: 'github.com/keelson-platform/keelson-go', packageName: 'x' },
  },
  types: {
    '@keelson/x.Thing': { name: 'Thing', kind: 'class' },
    '@keelson/x.ThingProps': { name: 'ThingProps', kind: 'interface' },
    '@keelson/x.Thing.Inner': { name: 'Inner', namespace: 'Thing', kind: 'enum' },
  },
};
const wheel = ['keelson/x/__init__.py', 'keelson/x/_jsii/x@1.2.3.jsii.tgz', 'keelson/x/py.typed'];

/** What jsii-pacmak --code-only and python3 -m build leave for `assembly`, minus `omit`. */
function dist(omit: string[] = [], edit: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-bindings-'));
  const files: Record<string, string> = {
    'js/x@1.2.3.jsii.tgz': '',
    'python/keelson.x-1.2.3-py3-none-any.whl': '',
    'python/keelson.x-1.2.3.tar.gz': '',
    'java/pom.xml': '<groupId>dev.keelson</groupId><artifactId>x</artifactId><version>1.2.3</version>',
    'java/src/main/java/dev/keelson/x/Thing.java': '',
    'java/src/main/java/dev/keelson/x/ThingProps.java': '',
    'dotnet/Keelson.X/Keelson.X.csproj': '<PackageId>Keelson.X</PackageId>',
    'dotnet/Keelson.X/Keelson/X/Thing.cs': '',
    'dotnet/Keelson.X/Keelson/X/ThingProps.cs': '',
    'go/x/go.mod': 'module github.com/keelson-platform/keelson-go/x\n\ngo 1.23\n',
    'go/x/Thing.go': '',
    'go/x/ThingProps.go': '',
    ...edit,
  };
  for (const [file, text] of Object.entries(files)) {
    if (omit.includes(file)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('bindingProblems', () => {
  test('a complete dist has no problems', () => {
    expect(bindingProblems(assembly, dist(), wheel)).toEqual([]);
  });

  test('a missing tarball, wheel or embedded assembly fails', () => {
    expect(bindingProblems(assembly, dist(['js/x@1.2.3.jsii.tgz', 'python/keelson.x-1.2.3-py3-none-any.whl']), ['keelson/x/__init__.py'])).toEqual([
      'dist/js/x@1.2.3.jsii.tgz is missing: jsii-pacmak --target js did not run',
      'dist/python has no keelson.x-1.2.3 wheel: python3 -m build did not run',
      "the wheel lacks the embedded assembly (keelson/x/_jsii/*.tgz): jsii's Python runtime loads it",
    ]);
  });

  test('a wrong Maven coordinate, a missing csproj and a wrong Go module fail', () => {
    const problems = bindingProblems(assembly, dist(['dotnet/Keelson.X/Keelson.X.csproj'], {
      'java/pom.xml': '<groupId>dev.keelson</groupId><artifactId>y</artifactId><version>1.2.3</version>',
      'go/x/go.mod': 'module github.com/other/x\n',
    }), wheel);
    expect(problems).toEqual([
      'dist/java/pom.xml does not declare <artifactId>x</artifactId>',
      'dist/dotnet/Keelson.X/Keelson.X.csproj is missing: jsii-pacmak --code-only --target dotnet did not run',
      'go/x/go.mod does not declare module github.com/keelson-platform/keelson-go/x',
    ]);
  });

  test('a type without its Java, C# or Go source fails (nested types live in their parent)', () => {
    expect(bindingProblems(assembly, dist([
      'java/src/main/java/dev/keelson/x/ThingProps.java', 'dotnet/Keelson.X/Keelson/X/Thing.cs', 'go/x/ThingProps.go',
    ]), wheel)).toEqual([
      'Java source for ThingProps is missing (java/src/main/java/dev/keelson/x/ThingProps.java)',
      'C# source for Thing is missing (dotnet/Keelson.X/Keelson/X/Thing.cs)',
      'Go source for ThingProps is missing (go/x/ThingProps.go)',
    ]);
  });

  test('an assembly without a language target fails', () => {
    const { go: _go, ...targets } = assembly.targets!;
    expect(bindingProblems({ ...assembly, targets }, dist(), wheel)).toEqual([
      ".jsii has no go target: set it in the library's projenrc options",
    ]);
  });
});

describe('translationProblems', () => {
  const translated = { python: { source: 'x = 1' }, java: { source: 'x' }, csharp: { source: 'x' }, go: { source: 'x' } };
  const readme = { location: { api: { api: 'moduleReadme' }, field: { line: 12 } } };

  test('every example compiled and translated to four languages passes', () => {
    expect(translationProblems({ snippets: { a: { ...readme, didCompile: true, translations: translated } } }, 1)).toEqual([]);
  });

  test('an example that does not compile, or lacks a translation, fails; so does an unseen README example', () => {
    const { go: _go, ...noGo } = translated;
    expect(translationProblems({
      snippets: {
        a: { ...readme, didCompile: false, translations: translated },
        b: { location: { api: { api: 'type' } }, didCompile: true, translations: noGo },
      },
    }, 2)).toEqual([
      'the README has 2 TypeScript example(s) but jsii-rosetta translated 1',
      'README line 12: the example does not compile',
      'an API doc example: no go translation',
    ]);
  });
});
