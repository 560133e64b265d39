/**
 * The repairs that make rosetta's Go translation of a README example a Go program
 * (src/go-examples.ts): each rule on the exact pattern or compiler error it answers, and nothing
 * else. The Go consumer proof (test/go.test.ts) runs them against the real compiler.
 */
import { applyEdits, goExampleFile, goImportPath, goImports, parseGoErrors, repairFor, repairStructSlices } from '../src';

const CDK = { version: '2.277.0', jsii: { targets: { go: { moduleName: 'github.com/aws/aws-cdk-go', packageName: 'awscdk' } } } };
const CONSTRUCTS = { version: '10.8.1', jsii: { targets: { go: { moduleName: 'github.com/aws/constructs-go' } } } };
const KEELSON = { version: '0.0.0', jsii: { targets: { go: { moduleName: 'github.com/keelson-platform/keelson-go', packageName: 'ekscore' } } } };

test('imports: the major-version suffix from v2 on, and the submodule a TypeScript import names', () => {
  expect(goImportPath('aws-cdk-lib', CDK)).toEqual({ path: 'github.com/aws/aws-cdk-go/awscdk/v2', packageName: 'awscdk' });
  expect(goImportPath('aws-cdk-lib/aws-s3', CDK)).toEqual({ path: 'github.com/aws/aws-cdk-go/awscdk/v2/awss3', packageName: 'awss3' });
  expect(goImportPath('aws-cdk-lib/aws-eks-v2', CDK).path).toBe('github.com/aws/aws-cdk-go/awscdk/v2/awseksv2');
  expect(goImportPath('constructs', CONSTRUCTS).path).toBe('github.com/aws/constructs-go/constructs/v10');
  expect(goImportPath('@keelson/eks-core', KEELSON).path).toBe('github.com/keelson-platform/keelson-go/ekscore');
  expect(() => goImportPath('left-pad', { version: '1.0.0' })).toThrow(/left-pad has no Go target/);
  const ts = "import { App, Stack } from 'aws-cdk-lib';\nimport * as s3 from 'aws-cdk-lib/aws-s3';\nimport { PlatformCluster } from '@keelson/eks-core';\n";
  expect(goImports(ts, (name) => (name === 'aws-cdk-lib' ? CDK : KEELSON))).toEqual([
    { name: 'awscdk', path: 'github.com/aws/aws-cdk-go/awscdk/v2' },
    { name: 's3', path: 'github.com/aws/aws-cdk-go/awscdk/v2/awss3' },
    { name: 'ekscore', path: 'github.com/keelson-platform/keelson-go/ekscore' },
  ]);
});

test('program: rosetta\'s imports replaced, only the used ones kept, the body in the example\'s function; static repairs', () => {
  const rosetta = [
    'import "github.com/aws/aws-cdk-go/awscdk"',
    'import s3 "github.com/aws/aws-cdk-go/awscdk"',
    '',
    'app := awscdk.NewApp()',
    'v := map[string]*f64{"a": jsii.Number(1)}',
    'c := platform.*Cluster',
    'k := []Key{',
    '\t&Key{',
  ].join('\n');
  const file = goExampleFile('eks_core_1', rosetta, [
    { name: 'awscdk', path: 'github.com/aws/aws-cdk-go/awscdk/v2' },
    { name: 's3', path: 'github.com/aws/aws-cdk-go/awscdk/v2/awss3' },
  ]);
  expect(file).toContain('package main\n');
  expect(file).toContain('\tjsii "github.com/aws/jsii-runtime-go"\n\tawscdk "github.com/aws/aws-cdk-go/awscdk/v2"\n)');
  expect(file).not.toContain('awss3'); // unused: Go refuses an unused import
  const inString = goExampleFile('x_1', 'u := jsii.String("http://s3.example.svc") // s3.Bucket', [{ name: 's3', path: 'github.com/aws/aws-cdk-go/awscdk/v2/awss3' }]);
  expect(inString).not.toContain('awss3'); // a string or a comment is no use
  expect(file).toContain('func example_eks_core_1() {\n\tapp := awscdk.NewApp()');
  expect(file).toContain('map[string]*float64{'); // number-type
  expect(file).toContain('c := platform.Cluster'); // selector-deref
  expect(file).toContain('k := []*Key{\n\t\t&Key{'); // struct-slice
  expect(repairStructSlices('[]ekscore.Pin{&ekscore.Pin{')).toBe('[]*ekscore.Pin{&ekscore.Pin{');
  expect(repairStructSlices('[]iam.PolicyStatement{iam.NewPolicyStatement(')).toBe('[]iam.PolicyStatement{iam.NewPolicyStatement(');
});

test('the compiler\'s errors are read with their continuation lines, by file name', () => {
  const errors = parseGoErrors([
    '# keelson.example/readme/src',
    'src/ex_a_1.go:12:9: not enough arguments in call to awscdk.NewApp',
    '\thave ()',
    '\twant (*awscdk.AppProps)',
    'src/ex_a_1.go:16:44: undefined: BucketProps',
  ].join('\n'));
  expect(errors).toEqual([
    { file: 'ex_a_1.go', line: 12, col: 9, message: 'not enough arguments in call to awscdk.NewApp\n\thave ()\n\twant (*awscdk.AppProps)' },
    { file: 'ex_a_1.go', line: 16, col: 44, message: 'undefined: BucketProps' },
  ]);
});

describe('compiler-driven repairs act only on their error, at its position', () => {
  const fix = (source: string[], message: string, line: number, col: number, types: Record<string, string[]> = {}) => {
    const edit = repairFor({ file: 'ex.go', line, col, message }, source, (name) => types[name] ?? []);
    return edit ? { rule: edit.rule, source: applyEdits(source, [edit]) } : undefined;
  };

  test('qualify-type: the one imported package that declares the type', () => {
    const src = ['\ts3.NewBucket(stack, jsii.String("Logs"), &BucketProps{'];
    expect(fix(src, 'undefined: BucketProps', 1, 44, { BucketProps: ['s3'] })).toEqual({ rule: 'qualify-type', source: ['\ts3.NewBucket(stack, jsii.String("Logs"), &s3.BucketProps{'] });
    expect(fix(src, 'undefined: BucketProps', 1, 44, { BucketProps: ['s3', 'other'] })).toBeUndefined(); // ambiguous: the example's defect
    expect(fix(src, 'undefined: BucketProps', 1, 44)).toBeUndefined();
  });

  test('shorthand: `Vpc: Vpc` names the example\'s own `vpc`', () => {
    const src = ['\tvpc := ec2.NewVpc(stack, jsii.String("Vpc"), nil)', '\t\tVpc: Vpc,'];
    expect(fix(src, 'undefined: Vpc', 2, 8, { Vpc: ['ec2'] })?.source[1]).toBe('\t\tVpc: vpc,');
    expect(fix(['\t\tVpc: Vpc,'], 'undefined: Vpc', 1, 8, { Vpc: ['ec2'] })?.source[0]).toBe('\t\tVpc: ec2.Vpc,'); // no such variable
  });

  test('optional-args: nil for each missing trailing parameter, before the call\'s closing parenthesis', () => {
    const none = fix(['\tapp := awscdk.NewApp()'], 'not enough arguments in call to awscdk.NewApp\n\thave ()\n\twant (*awscdk.AppProps)', 1, 9);
    expect(none?.source).toEqual(['\tapp := awscdk.NewApp(nil)']);
    const some = fix(['\tstack := awscdk.NewStack(app, jsii.String("Example (a)"))'],
      'not enough arguments in call to awscdk.NewStack\n\thave (awscdk.App, *string)\n\twant (constructs.Construct, *string, *awscdk.StackProps)', 1, 32);
    expect(some?.source).toEqual(['\tstack := awscdk.NewStack(app, jsii.String("Example (a)"), nil)']);
  });

  test('getter: a property of a class is a method in Go', () => {
    expect(fix(['\tz := stack.availabilityZones'], 'stack.availabilityZones undefined (type awscdk.Stack has no field or method availabilityZones, but does have method AvailabilityZones)', 1, 13)?.source)
      .toEqual(['\tz := stack.AvailabilityZones()']);
    expect(fix(['\t\tKeda: services.Keda,'], 'cannot use services.Keda (value of type func() ekscore.Keda) as ekscore.Keda value in struct literal', 1, 9)?.source)
      .toEqual(['\t\tKeda: services.Keda(),']);
    expect(fix(['\t\tCluster: dr.PlatformCluster.Cluster,'], 'dr.PlatformCluster.Cluster undefined (type func() ekscore.PlatformCluster has no field or method Cluster)', 1, 30)?.source)
      .toEqual(['\t\tCluster: dr.PlatformCluster().Cluster,']);
  });

  test('getter on a map, map-key', () => {
    expect(fix(['\t\t\tplatform.NodePools[jsii.String("system")],'], 'cannot index platform.NodePools (value of type func() *map[string]ekscore.NodePool)', 1, 22)?.source)
      .toEqual(['\t\t\t(*platform.NodePools())[jsii.String("system")],']);
    expect(fix(['\t\t\t(*platform.NodePools())[jsii.String("system")],'], 'cannot use jsii.String("system") (value of type *string) as string value in map index', 1, 28)?.source)
      .toEqual(['\t\t\t(*platform.NodePools())["system"],']);
    expect(fix(['\t\tCluster: dr.PlatformCluster().Cluster,'], 'cannot use dr.PlatformCluster().Cluster (value of type func() awseksv2.Cluster) as awseksv2.ICluster value in struct literal', 1, 12)?.source)
      .toEqual(['\t\tCluster: dr.PlatformCluster().Cluster(),']);
  });

  test('collection-pointer and string-literal', () => {
    expect(fix(['\t\tNamespaces: backedUp,'], 'cannot use backedUp (variable of type []*string) as *[]*string value in struct literal', 1, 15)?.source).toEqual(['\t\tNamespaces: &backedUp,']);
    expect(fix(['\t\tTags: []*string{'], 'cannot use []*string{…} (value of type []*string) as *[]*string value in struct literal', 1, 9)?.source).toEqual(['\t\tTags: &[]*string{']);
    expect(fix(['\t\t"kube-system",'], 'cannot use "kube-system" (untyped string constant) as *string value in array or slice literal', 1, 3)?.source).toEqual(['\t\tjsii.String("kube-system"),']);
  });

  test('what a README controls is left to fail', () => {
    expect(fix(['\tunused := 1'], 'declared and not used: unused', 1, 2)).toBeUndefined();
    expect(fix(['\tx := network.Vpc'], 'network.Vpc undefined (type network.PlatformNetwork has no field or method Vpc)', 1, 15)).toBeUndefined();
  });
});
