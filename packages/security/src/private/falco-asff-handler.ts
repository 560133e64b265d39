/**
 * Source of the Falco → Security Hub importer (Node.js, AWS SDK v3 from the
 * runtime). Falcosidekick publishes each Falco event, as Falco's raw JSON, to
 * an SNS topic (it has no Security Hub output); this function maps each one to
 * an AWS Security Finding Format (ASFF) finding and imports it with
 * BatchImportFindings. Shipped inline: no bundling, no Docker. `toFinding` is
 * exported so the mapping is tested on its own.
 */
export const FALCO_ASFF_HANDLER_SOURCE = `
const { SecurityHubClient, BatchImportFindingsCommand } = require('@aws-sdk/client-securityhub');
const client = new SecurityHubClient({});

// Falco priorities to ASFF severity labels.
const SEVERITY = {
  emergency: 'CRITICAL', alert: 'CRITICAL', critical: 'CRITICAL',
  error: 'HIGH', warning: 'MEDIUM', notice: 'LOW',
  informational: 'INFORMATIONAL', info: 'INFORMATIONAL', debug: 'INFORMATIONAL',
};

function clip(value, max) {
  const s = String(value == null ? '' : value);
  return s.length > max ? s.slice(0, max - 1) + '\\u2026' : s;
}

function toFinding(event, env) {
  const fields = event.output_fields || {};
  const time = new Date(event.time || Date.now()).toISOString();
  const rule = String(event.rule || 'unknown rule');
  const id = event.uuid || [fields['k8s.pod.name'], fields['container.id'], rule, time].join('/');
  const resources = [{ Type: 'AwsEksCluster', Id: env.CLUSTER_ARN, Partition: env.PARTITION, Region: env.REGION }];
  if (fields['container.id']) {
    resources.push({
      Type: 'Container',
      Id: clip('k8s://' + env.CLUSTER_NAME + '/' + (fields['k8s.ns.name'] || '-') + '/' + (fields['k8s.pod.name'] || '-') + '/' + fields['container.id'], 512),
      Partition: env.PARTITION,
      Region: env.REGION,
      Details: { Container: { Name: clip(fields['container.name'] || fields['container.id'], 128), ImageName: clip(fields['container.image.repository'] || '', 256) } },
    });
  }
  const productFields = { 'falco/rule': rule, 'falco/priority': String(event.priority || ''), 'falco/source': String(event.source || 'syscall') };
  if (event.hostname) productFields['falco/hostname'] = String(event.hostname);
  if (fields['k8s.ns.name']) productFields['kubernetes/namespace'] = String(fields['k8s.ns.name']);
  if (fields['k8s.pod.name']) productFields['kubernetes/pod'] = String(fields['k8s.pod.name']);
  return {
    SchemaVersion: '2018-10-08',
    Id: clip('falco/' + env.CLUSTER_NAME + '/' + id, 512),
    ProductArn: env.PRODUCT_ARN,
    GeneratorId: clip('falco/' + rule, 512),
    AwsAccountId: env.ACCOUNT_ID,
    Types: ['Unusual Behaviors/Process/Falco'],
    CreatedAt: time,
    UpdatedAt: time,
    Severity: { Label: SEVERITY[String(event.priority || '').toLowerCase()] || 'MEDIUM', Original: String(event.priority || '') },
    Title: clip(rule, 256),
    Description: clip(event.output || rule, 1024),
    Resources: resources,
    ProductFields: productFields,
    UserDefinedFields: { tags: clip((event.tags || []).join(','), 1024) },
  };
}

exports.toFinding = toFinding;

exports.handler = async (event) => {
  const findings = (event.Records || []).map((r) => toFinding(JSON.parse(r.Sns.Message), process.env));
  for (let i = 0; i < findings.length; i += 100) {
    const out = await client.send(new BatchImportFindingsCommand({ Findings: findings.slice(i, i + 100) }));
    if (out.FailedCount > 0) {
      throw new Error('Security Hub refused ' + out.FailedCount + ' finding(s): ' + JSON.stringify(out.FailedFindings).slice(0, 2000));
    }
  }
  return { imported: findings.length };
};
`;
