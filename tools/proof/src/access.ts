import { kubernetesObjectsIn } from './kubernetes';

/**
 * What an EKS access policy lets its principal do in the namespaces of its
 * scope, as far as secrets go. A policy the model does not know fails the
 * model: add a row here, from the EKS user guide's access policy permissions.
 */
export interface AccessPolicyGrant {
  /** get/list Secrets. */
  readonly readSecrets: boolean;
  /** create Pods (which may mount any Secret and run as any service account of the namespace). */
  readonly runPods: boolean;
  /** create custom resources such as ExternalSecrets (directly, or by writing itself a Role). */
  readonly createCustomResources: boolean;
}

/** The EKS access policies, by name (the last segment of the policy ARN). */
export const EKS_ACCESS_POLICIES: Record<string, AccessPolicyGrant> = {
  // cluster-admin: everything.
  AmazonEKSClusterAdminPolicy: { readSecrets: true, runPods: true, createCustomResources: true },
  // admin: may write Roles and RoleBindings in its namespaces, so may grant itself any resource.
  AmazonEKSAdminPolicy: { readSecrets: true, runPods: true, createCustomResources: true },
  // edit: built-in workload resources and Secrets, no RBAC, no custom resources.
  AmazonEKSEditPolicy: { readSecrets: true, runPods: true, createCustomResources: false },
  // view: reads built-in resources except Secrets.
  AmazonEKSViewPolicy: { readSecrets: false, runPods: false, createCustomResources: false },
};

/** Who asks: an IAM principal with an access entry, or a service account. */
export interface AccessSubject {
  /** IAM principal ARN of an access entry. */
  readonly principalArn?: string;
  /** `namespace/name` of a service account. */
  readonly serviceAccount?: string;
}

/** A remote secret (Secrets Manager) or parameter (SSM), named without a leading slash. */
export interface RemoteSecret {
  readonly service: 'secretsmanager' | 'ssm';
  readonly name: string;
}

/** One way a subject obtains a remote secret's value. */
export interface SecretPath {
  readonly secret: RemoteSecret;
  /** How: `iam role <id> via <ns>/<sa>`, `store <kind>/<name> from <ns>`, `secret in <ns>`. */
  readonly via: string;
}

const ESO_GROUP = 'external-secrets.io';
const WILD = '*';

/**
 * Who can obtain which platform secret on one cluster, read from the
 * templates that act on it: EKS access entries and their policies, the RBAC
 * objects the templates apply, External Secrets stores (their `conditions`
 * and the IAM role each authenticates as), ExternalSecrets already declared,
 * Pod Identity associations and IRSA trust policies, and the read scope of
 * each IAM role. Helm charts' own RBAC is not read (it binds service
 * accounts of the charts, not people).
 *
 * A platform secret is a remote secret an ExternalSecret reads through a
 * ClusterSecretStore (the platform's stores).
 */
export class SecretAccessModel {
  /** Build the model from the templates of one cluster's region. */
  public static fromTemplates(templates: any[]): SecretAccessModel {
    return new SecretAccessModel(templates);
  }

  private readonly objects: any[];
  private readonly entries: { arn: string; groups: string[]; policies: { name: string; namespaces?: string[] }[] }[] = [];
  /** service account `ns/name` to IAM role read scope (patterns) and role id. */
  private readonly saRoles = new Map<string, { roleId: string; patterns: RemoteSecret[] }[]>();
  private readonly esoController?: string;

  private constructor(templates: any[]) {
    this.objects = templates.flatMap((t) => kubernetesObjectsIn(t));
    for (const t of templates) this.readTemplate(t);
    const release = templates.flatMap((t) => Object.values<any>(t.Resources ?? {}))
      .find((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === 'external-secrets');
    if (release) {
      const values = typeof release.Properties.Values === 'string' ? JSON.parse(release.Properties.Values) : {};
      this.esoController = `${release.Properties.Namespace}/${values.serviceAccount?.name ?? 'external-secrets'}`;
    }
  }

  /** Every service account bound to an IAM role (Pod Identity or IRSA), as `namespace/name`. */
  public get serviceAccountsWithRoles(): string[] {
    return [...this.saRoles.keys()].sort();
  }

  /** Every namespace the templates create. */
  public get namespaces(): string[] {
    return this.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort();
  }

  /** The platform's secrets: what ExternalSecrets read through ClusterSecretStores. */
  public platformSecrets(): RemoteSecret[] {
    const out: RemoteSecret[] = [];
    for (const es of this.objects.filter((o) => o.kind === 'ExternalSecret')) {
      const ref = es.spec.secretStoreRef;
      if (ref?.kind !== 'ClusterSecretStore') continue;
      const store = this.objects.find((o) => o.kind === 'ClusterSecretStore' && o.metadata.name === ref.name);
      if (!store) continue;
      for (const d of es.spec.data ?? []) out.push(remote(store, d.remoteRef.key));
    }
    return uniq(out);
  }

  /**
   * Every path by which the subject obtains a secret: its own IAM role (a
   * service account), and what it can do in each of `namespaces`.
   *
   * @param namespaces where to look (default: every namespace the templates create)
   */
  public pathsOf(subject: AccessSubject, namespaces: string[] = this.namespaces): SecretPath[] {
    const paths: SecretPath[] = [];
    if (subject.serviceAccount) {
      for (const r of this.saRoles.get(subject.serviceAccount) ?? []) {
        for (const p of r.patterns) paths.push({ secret: p, via: `iam role ${r.roleId} of ${subject.serviceAccount}` });
      }
    }
    for (const ns of namespaces) {
      const can = this.rights(subject, ns);
      const seesSecrets = can.readSecrets || can.runPods;
      if (can.runPods) {
        // A pod may run as any service account of the namespace, and so holds its IAM role.
        for (const [sa, roles] of this.saRoles) {
          if (!sa.startsWith(`${ns}/`)) continue;
          for (const r of roles) for (const p of r.patterns) paths.push({ secret: p, via: `pod in ${ns} as ${sa} (iam role ${r.roleId})` });
        }
      }
      if (seesSecrets) {
        for (const es of this.objects.filter((o) => o.kind === 'ExternalSecret' && o.metadata.namespace === ns)) {
          const store = this.storeFor(ns, es.spec.secretStoreRef);
          if (!store || !this.storeServes(store, ns)) continue;
          for (const d of es.spec.data ?? []) paths.push({ secret: remote(store, d.remoteRef.key), via: `Secret ${ns}/${es.spec.target?.name ?? es.metadata.name}` });
        }
      }
      if (can.createExternalSecrets && seesSecrets) {
        const stores = this.objects.filter((o) => (o.kind === 'ClusterSecretStore' || (o.kind === 'SecretStore' && o.metadata.namespace === ns)) && this.storeServes(o, ns));
        for (const store of stores) {
          for (const p of this.storeScope(store, ns)) paths.push({ secret: p, via: `new ExternalSecret in ${ns} through ${store.kind}/${store.metadata.name}` });
        }
      }
    }
    return paths;
  }

  /** The platform secrets the subject can obtain (through `namespaces`), each with its first path. */
  public platformSecretsObtainedBy(subject: AccessSubject, namespaces?: string[]): SecretPath[] {
    const paths = this.pathsOf(subject, namespaces);
    const out: SecretPath[] = [];
    for (const secret of this.platformSecrets()) {
      const path = paths.find((p) => p.secret.service === secret.service && glob(p.secret.name, secret.name));
      if (path) out.push({ secret, via: path.via });
    }
    return out;
  }

  /** The subject's rights in one namespace: access entry policies plus RBAC bound to its groups or to it. */
  public rights(subject: AccessSubject, ns: string): { readSecrets: boolean; runPods: boolean; createExternalSecrets: boolean } {
    let readSecrets = false; let runPods = false; let createExternalSecrets = false;
    const groups: string[] = [];
    for (const e of this.entries.filter((x) => subject.principalArn !== undefined && x.arn === subject.principalArn)) {
      groups.push(...e.groups);
      for (const p of e.policies) {
        if (p.namespaces && !p.namespaces.includes(ns)) continue;
        const grant = EKS_ACCESS_POLICIES[p.name];
        if (!grant) throw new Error(`access model: EKS access policy ${p.name} is unknown. Fix: add its row to EKS_ACCESS_POLICIES`);
        readSecrets ||= grant.readSecrets; runPods ||= grant.runPods; createExternalSecrets ||= grant.createCustomResources;
      }
    }
    for (const rule of this.rbacRules(subject, groups, ns)) {
      readSecrets ||= allows(rule, '', 'secrets', 'get');
      runPods ||= allows(rule, '', 'pods', 'create');
      createExternalSecrets ||= allows(rule, ESO_GROUP, 'externalsecrets', 'create');
    }
    return { readSecrets, runPods, createExternalSecrets };
  }

  private rbacRules(subject: AccessSubject, groups: string[], ns: string): any[] {
    const bound = (b: any) => (b.subjects ?? []).some((s: any) =>
      (s.kind === 'Group' && groups.includes(s.name))
      || (s.kind === 'User' && s.name === subject.principalArn)
      || (s.kind === 'ServiceAccount' && `${s.namespace ?? b.metadata.namespace}/${s.name}` === subject.serviceAccount));
    const rulesOf = (ref: any, bindingNs?: string) => {
      const role = this.objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name && (ref.kind === 'ClusterRole' || o.metadata.namespace === bindingNs));
      return role?.rules ?? [];
    };
    return [
      ...this.objects.filter((o) => o.kind === 'RoleBinding' && o.metadata.namespace === ns && bound(o)).flatMap((b) => rulesOf(b.roleRef, ns)),
      ...this.objects.filter((o) => o.kind === 'ClusterRoleBinding' && bound(o)).flatMap((b) => rulesOf(b.roleRef)),
    ];
  }

  private storeFor(ns: string, ref: any): any {
    const kind = ref?.kind ?? 'SecretStore';
    return this.objects.find((o) => o.kind === kind && o.metadata.name === ref?.name && (kind === 'ClusterSecretStore' || o.metadata.namespace === ns));
  }

  /** Whether a store serves ExternalSecrets of a namespace (a ClusterSecretStore's `spec.conditions`). */
  public storeServes(store: any, ns: string): boolean {
    if (store.kind === 'SecretStore') return store.metadata.namespace === ns;
    const conditions: any[] = store.spec.conditions ?? [];
    if (conditions.length === 0) return true;
    const labels = this.objects.find((o) => o.kind === 'Namespace' && o.metadata.name === ns)?.metadata.labels ?? {};
    // matchExpressions are not modelled: a selector with them counts as matching (the cautious answer).
    const selects = (selector: any) => selector.matchExpressions !== undefined
      || Object.entries<string>(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    return conditions.some((c) => (c.namespaces ?? []).includes(ns)
      || (c.namespaceSelector !== undefined && selects(c.namespaceSelector))
      || (c.namespaceRegexes ?? []).some((r: string) => new RegExp(r).test(ns)));
  }

  /** What a store can read: the IAM role it authenticates as. */
  private storeScope(store: any, ns: string): RemoteSecret[] {
    const aws = store.spec.provider?.aws;
    if (!aws) return [];
    const service = aws.service === 'ParameterStore' ? 'ssm' : 'secretsmanager';
    const sa = aws.auth?.jwt?.serviceAccountRef;
    const who = sa ? `${sa.namespace ?? (store.kind === 'SecretStore' ? store.metadata.namespace : ns)}/${sa.name}` : this.esoController;
    if (aws.role || aws.auth?.secretRef) {
      // An assumed role or static keys: their scope is not in the assembly, so assume everything.
      return [{ service, name: WILD }];
    }
    return (this.saRoles.get(who ?? '') ?? []).flatMap((r) => r.patterns).filter((p) => p.service === service);
  }

  private readTemplate(t: any): void {
    const resources: Record<string, any> = t.Resources ?? {};
    for (const r of Object.values<any>(resources)) {
      if (r.Type !== 'AWS::EKS::AccessEntry') continue;
      this.entries.push({
        arn: r.Properties.PrincipalArn,
        groups: r.Properties.KubernetesGroups ?? [],
        policies: (r.Properties.AccessPolicies ?? []).map((p: any) => ({
          name: flat(p.PolicyArn).split('/').pop()!,
          namespaces: p.AccessScope.Type === 'namespace' ? p.AccessScope.Namespaces : undefined,
        })),
      });
    }
    const patternsOf = (roleId: string): RemoteSecret[] => {
      const docs = [
        ...(resources[roleId]?.Properties.Policies ?? []).map((p: any) => p.PolicyDocument),
        ...Object.values<any>(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles ?? []).some((x: any) => x.Ref === roleId)).map((r) => r.Properties.PolicyDocument),
      ];
      const out: RemoteSecret[] = [];
      for (const s of docs.flatMap((d) => d.Statement)) {
        if (s.Effect !== 'Allow') continue;
        const actions: string[] = [s.Action].flat();
        const sm = actions.some((a) => glob(a, 'secretsmanager:GetSecretValue'));
        const ssm = actions.some((a) => glob(a, 'ssm:GetParameter'));
        for (const res of [s.Resource].flat().map(flat)) {
          if (sm && (res === WILD || res.includes(':secret:'))) out.push({ service: 'secretsmanager', name: res === WILD ? WILD : res.split(':secret:')[1] });
          if (ssm && (res === WILD || res.includes(':parameter/'))) out.push({ service: 'ssm', name: res === WILD ? WILD : res.split(':parameter/')[1] });
        }
      }
      return out;
    };
    const bind = (sa: string, roleId: string) => {
      const list = this.saRoles.get(sa) ?? [];
      list.push({ roleId, patterns: patternsOf(roleId) });
      this.saRoles.set(sa, list);
    };
    for (const r of Object.values<any>(resources)) {
      if (r.Type === 'AWS::EKS::PodIdentityAssociation') {
        const roleId = r.Properties.RoleArn?.['Fn::GetAtt']?.[0];
        if (roleId) bind(`${r.Properties.Namespace}/${r.Properties.ServiceAccount}`, roleId);
      }
    }
    for (const [roleId, r] of Object.entries<any>(resources)) {
      if (r.Type !== 'AWS::IAM::Role') continue;
      for (const s of r.Properties.AssumeRolePolicyDocument?.Statement ?? []) {
        if (![s.Action].flat().includes('sts:AssumeRoleWithWebIdentity')) continue;
        for (const sub of irsaSubjects(s.Condition, resources)) {
          const m = /^system:serviceaccount:([^:]+):(.+)$/.exec(sub);
          if (m) bind(`${m[1]}/${m[2]}`, roleId);
        }
      }
    }
  }
}

/** The `sub` values an IRSA trust condition admits (CDK carries them in a CfnJson resource). */
function irsaSubjects(condition: any, resources: Record<string, any>): string[] {
  const out: string[] = [];
  for (const op of ['StringEquals', 'StringLike']) {
    let value = condition?.[op];
    const json = value?.['Fn::GetAtt']?.[0];
    if (json && resources[json]?.Type === 'Custom::AWSCDKCfnJson') value = JSON.parse(flat(resources[json].Properties.Value));
    for (const [k, v] of Object.entries<any>(value ?? {})) if (k.endsWith(':sub')) out.push(...[v].flat());
  }
  return out;
}

function remote(store: any, key: string): RemoteSecret {
  const service = store.spec.provider?.aws?.service === 'ParameterStore' ? 'ssm' : 'secretsmanager';
  return { service, name: key.replace(/^\//, '') };
}

function allows(rule: any, group: string, resource: string, verb: string): boolean {
  const has = (list: string[] | undefined, v: string) => (list ?? []).includes(v) || (list ?? []).includes(WILD);
  return has(rule.apiGroups, group) && has(rule.resources, resource) && has(rule.verbs, verb);
}

/** `*` in a pattern matches any run of characters (IAM's resource matching). */
function glob(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split(WILD).map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}

/** A CloudFormation value as a string, intrinsics that resolve at deploy time as `*`. */
function flat(v: any): string {
  if (typeof v === 'string') return v;
  if (v && Array.isArray(v['Fn::Join'])) return (v['Fn::Join'][1] as any[]).map(flat).join(v['Fn::Join'][0]);
  return WILD;
}

function uniq(list: RemoteSecret[]): RemoteSecret[] {
  const seen = new Set<string>();
  return list.filter((s) => !seen.has(`${s.service}:${s.name}`) && !!seen.add(`${s.service}:${s.name}`));
}
