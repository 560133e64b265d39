import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { EC2_CATALOGUE_SOURCE, EC2_INSTANCE_TYPES } from './private/ec2-instance-types.generated';
import { PropsCheck } from './props-check';
import { ValidationProblem } from './validation-problem';

/**
 * The one EC2 instance-type check every Keelson package uses: a name is
 * valid when the EC2 API knows it. The catalogue is generated from the EC2
 * API model that `@aws-sdk/client-ec2` ships (`_InstanceType`), not guessed
 * with a pattern, so `m7i.huge` and `t3.metal` are refused and a newly
 * released type arrives with the next SDK version.
 */
export class Ec2InstanceTypes {
  /** Where the catalogue comes from: the SDK package and version. */
  public static readonly CATALOGUE_SOURCE: string = EC2_CATALOGUE_SOURCE;

  /** x86_64 GPU families with NVIDIA GPUs that EKS's Bottlerocket NVIDIA AMIs support. */
  public static readonly NVIDIA_GPU_FAMILIES_X86_64: string[] = [
    'g4dn', 'g5', 'g6', 'g6e', 'g6f', 'gr6', 'gr6f', 'g7e', 'p3', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en', 'p6-b200',
  ];

  /** Graviton (arm64) GPU families that EKS's Bottlerocket NVIDIA AMIs support. */
  public static readonly NVIDIA_GPU_FAMILIES_ARM_64: string[] = ['g5g'];

  /** The family of an instance type: `g5.xlarge` -> `g5`. */
  public static family(instanceType: string): string {
    return instanceType.split('.')[0].toLowerCase();
  }

  /** True when the EC2 API knows `instanceType`. */
  public static isKnown(instanceType: string): boolean {
    if (typeof instanceType !== 'string') return false;
    const dot = instanceType.indexOf('.');
    const sizes = dot > 0 ? sizesOf(instanceType.slice(0, dot)) : undefined;
    return sizes !== undefined && sizes.includes(instanceType.slice(dot + 1));
  }

  /** True for a type of a family with NVIDIA GPUs that EKS's Bottlerocket NVIDIA AMIs support. */
  public static isNvidiaGpu(instanceType: string): boolean {
    const family = Ec2InstanceTypes.family(instanceType);
    return [...Ec2InstanceTypes.NVIDIA_GPU_FAMILIES_X86_64, ...Ec2InstanceTypes.NVIDIA_GPU_FAMILIES_ARM_64].includes(family);
  }

  /** What is wrong with `instanceType`, or `undefined` when the EC2 API knows it. */
  public static problem(instanceType: string): ValidationProblem | undefined {
    if (Ec2InstanceTypes.isKnown(instanceType)) return undefined;
    const family = typeof instanceType === 'string' ? instanceType.split('.')[0] : '';
    const sizes = sizesOf(family);
    return {
      problem: `"${instanceType}" is not an EC2 instance type`,
      fix: sizes
        ? `${family} comes in ${[...sizes].sort((a, b) => sizeRank(a) - sizeRank(b)).join(', ')}`
        : 'use a type EC2 offers, written family.size, for example m7i.large',
    };
  }

  /** What is wrong with `instanceType` for a GPU pool, or `undefined` when it is a supported NVIDIA GPU type. */
  public static gpuProblem(instanceType: string): ValidationProblem | undefined {
    const unknown = Ec2InstanceTypes.problem(instanceType);
    if (unknown) return unknown;
    if (Ec2InstanceTypes.isNvidiaGpu(instanceType)) return undefined;
    const allowed = [...Ec2InstanceTypes.NVIDIA_GPU_FAMILIES_X86_64, ...Ec2InstanceTypes.NVIDIA_GPU_FAMILIES_ARM_64];
    return {
      problem: `"${instanceType}" is not a GPU instance type (family "${Ec2InstanceTypes.family(instanceType)}")`,
      fix: `use a GPU family: ${allowed.join(', ')}`,
    };
  }

  /**
   * Fail at synth, naming the field, unless there are at least `minimum`
   * instance types, all known to EC2 (tokens pass) and none listed twice.
   *
   * @param minimum the fewest types the field needs
   * @default 1
   */
  public static check(scope: IConstruct, field: string, instanceTypes: string[], minimum?: number): void {
    const min = minimum ?? 1;
    if (instanceTypes.length < min) {
      PropsCheck.fail(scope, field, `${instanceTypes.length} instance type(s) given, at least ${min} needed`, `list at least ${min} instance types`);
    }
    const seen = new Set<string>();
    for (const t of instanceTypes) {
      if (Token.isUnresolved(t)) continue;
      const problem = Ec2InstanceTypes.problem(t);
      if (problem) PropsCheck.fail(scope, field, problem.problem, problem.fix);
      if (seen.has(t)) PropsCheck.fail(scope, field, `"${t}" is listed twice`, 'list each instance type once');
      seen.add(t);
    }
  }

  private constructor() {}
}

/** The sizes of a family, or undefined for a family EC2 does not offer. */
function sizesOf(family: string): string[] | undefined {
  return Object.prototype.hasOwnProperty.call(EC2_INSTANCE_TYPES, family) ? EC2_INSTANCE_TYPES[family].split(' ') : undefined;
}

/** Sizes smallest first: nano … large, xlarge, 2xlarge … 48xlarge, then metal. */
function sizeRank(size: string): number {
  const named = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge'].indexOf(size);
  if (named >= 0) return named;
  const n = /^(\d+)xlarge$/.exec(size);
  return n ? 10 + Number(n[1]) : 1000;
}
