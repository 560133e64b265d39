/** One stack of a synthesized assembly, as the reachability model reads it. */
export interface AssemblyStack {
  /** The artifact id (or stack name). */
  readonly id: string;
  /** The stack's region. */
  readonly region: string;
  /** The stack's account. */
  readonly account?: string;
  /** The template JSON. */
  readonly template: any;
  /** The stack's availability zones, for `Fn::GetAZs`. @default - placeholders `<region>-az<i>` */
  readonly availabilityZones?: string[];
}

/** What `{ Ref: 'AWS::NoValue' }` resolves to: the property is left out. */
const NO_VALUE = Symbol('AWS::NoValue');

/** The key of a resource of the assembly, `<stack>/<logicalId>`, or of one of its attributes, `<stack>/<logicalId>.<attribute>`. */
export function resourceKey(stackId: string, logicalId: string, attribute?: string): string {
  return attribute ? `${stackId}/${logicalId}.${attribute}` : `${stackId}/${logicalId}`;
}

/**
 * CloudFormation values across the stacks of one assembly, read as they would
 * be at deploy time as far as the templates say: literals stay literals,
 * `Ref`/`Fn::GetAtt` become resource keys (`resourceKey`) — a security
 * group's `Ref` and `GroupId` the same key, a VPC's or subnet's `CidrBlock`
 * its literal block — and `Fn::ImportValue`, CDK's cross-region export
 * readers, `Fn::Select`, `Fn::GetAZs`, `Fn::Join`, `Fn::Split`, `Fn::Sub`
 * are followed to the value they name.
 */
export class AssemblyValues {
  private readonly exports = new Map<string, { stack: AssemblyStack; value: any }>();
  private readonly crossRegionExports = new Map<string, { stack: AssemblyStack; value: any }>();

  constructor(public readonly stacks: AssemblyStack[]) {
    for (const stack of stacks) {
      for (const output of Object.values<any>(stack.template.Outputs ?? {})) {
        if (output.Export?.Name !== undefined) {
          this.exports.set(String(this.resolve(stack, output.Export.Name)), { stack, value: output.Value });
        }
      }
      for (const [, r] of this.resources(stack)) {
        if (r.Type !== 'Custom::CrossRegionExportWriter') continue;
        for (const [name, value] of Object.entries(r.Properties?.WriterProps?.exports ?? {})) {
          this.crossRegionExports.set(name, { stack, value });
        }
      }
    }
  }

  /** The stack of an id. */
  stack(id: string): AssemblyStack {
    const stack = this.stacks.find((s) => s.id === id);
    if (!stack) throw new Error(`no stack ${id} in the assembly`);
    return stack;
  }

  /** The resources of a stack, as [logicalId, resource]. */
  resources(stack: AssemblyStack): [string, any][] {
    return Object.entries<any>(stack.template.Resources ?? {});
  }

  /** Every resource of a type in the assembly, with its stack and key. */
  resourcesOfType(type: string): { stack: AssemblyStack; id: string; key: string; resource: any }[] {
    return this.stacks.flatMap((stack) => this.resources(stack)
      .filter(([, r]) => r.Type === type)
      .map(([id, resource]) => ({ stack, id, key: resourceKey(stack.id, id), resource })));
  }

  /** The resource a key names. */
  resourceOf(key: string): { stack: AssemblyStack; id: string; resource: any } | undefined {
    const slash = key.lastIndexOf('/');
    if (slash < 0) return undefined;
    const stack = this.stacks.find((s) => s.id === key.slice(0, slash));
    const id = key.slice(slash + 1);
    const resource = stack?.template.Resources?.[id];
    return stack && resource ? { stack, id, resource } : undefined;
  }

  /** A value of a stack's template, resolved as far as the assembly allows. */
  resolve(stack: AssemblyStack, value: any): any {
    const resolved = this.resolveValue(stack, value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  private resolveValue(stack: AssemblyStack, value: any): any {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.resolveValue(stack, v)).filter((v) => v !== NO_VALUE);
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      const arg = value[keys[0]];
      switch (keys[0]) {
        case 'Ref': return this.ref(stack, arg);
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/);
          return this.getAtt(stack, id, attribute);
        }
        case 'Fn::ImportValue': {
          const name = String(this.resolveValue(stack, arg));
          const exported = this.exports.get(name);
          return exported ? this.resolveValue(exported.stack, exported.value) : `import:${name}`;
        }
        case 'Fn::Select': {
          const index = Number(this.resolveValue(stack, arg[0]));
          const list = this.resolveValue(stack, arg[1]);
          return Array.isArray(list) ? list[index] : `select:${index}:${JSON.stringify(list)}`;
        }
        case 'Fn::GetAZs': return stack.availabilityZones ?? [0, 1, 2, 3, 4, 5].map((i) => `${stack.region}-az${i}`);
        case 'Fn::Join': {
          const parts = this.resolveValue(stack, arg[1]);
          return Array.isArray(parts) ? parts.map(text).join(arg[0]) : `join:${JSON.stringify(parts)}`;
        }
        case 'Fn::Split': {
          const source = this.resolveValue(stack, arg[1]);
          return typeof source === 'string' ? source.split(arg[0]) : [`split:${JSON.stringify(source)}`];
        }
        case 'Fn::Sub': {
          const [template, variables] = Array.isArray(arg) ? arg : [arg, {}];
          return String(template).replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
            if (variables[name] !== undefined) return text(this.resolveValue(stack, variables[name]));
            const [id, attribute] = name.split(/\.(.*)/);
            return text(attribute ? this.getAtt(stack, id, attribute) : this.ref(stack, id));
          });
        }
        case 'Fn::Base64': return this.resolveValue(stack, arg);
        default: return value;
      }
    }
    return Object.fromEntries(Object.entries(value)
      .map(([k, v]) => [k, this.resolveValue(stack, v)])
      .filter(([, v]) => v !== NO_VALUE));
  }

  private ref(stack: AssemblyStack, name: string): any {
    switch (name) {
      case 'AWS::Region': return stack.region;
      case 'AWS::AccountId': return stack.account ?? 'account';
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return stack.id;
      case 'AWS::NoValue': return NO_VALUE;
    }
    const parameter = stack.template.Parameters?.[name];
    if (parameter) return parameter.Default !== undefined && !String(parameter.Type).startsWith('AWS::SSM') ? parameter.Default : `parameter:${resourceKey(stack.id, name)}`;
    return resourceKey(stack.id, name);
  }

  private getAtt(stack: AssemblyStack, id: string, attribute: string): any {
    const resource = stack.template.Resources?.[id];
    switch (`${resource?.Type} ${attribute}`) {
      case `Custom::CrossRegionExportReader ${attribute}`: {
        const exported = this.crossRegionExports.get(attribute);
        return exported ? this.resolveValue(exported.stack, exported.value) : resourceKey(stack.id, id, attribute);
      }
      case 'AWS::EC2::SecurityGroup GroupId': return resourceKey(stack.id, id);
      case 'AWS::EC2::VPC CidrBlock':
      case 'AWS::EC2::Subnet CidrBlock': return this.resolveValue(stack, resource.Properties.CidrBlock);
      default: return resourceKey(stack.id, id, attribute);
    }
  }
}

function text(value: any): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}
