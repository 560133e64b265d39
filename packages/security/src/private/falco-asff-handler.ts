/**
 * Source of the Falco → Security Hub importer (Node.js, AWS SDK v3 from the
 * runtime). Falcosidekick publishes each Falco event, as Falco's raw JSON, to
 * an SNS topic (it has no Security Hub output), which delivers it raw to an
 * SQS queue; this function receives batches of those messages, maps each to
 * an AWS Security Finding Format (ASFF) finding and imports them with
 * BatchImportFindings, 100 per call (the API's limit). It answers with a
 * partial batch response: the messages whose finding was refused, whose call
 * failed, or that are not Falco JSON go back to the queue (and, after the
 * queue's receive limit, to its dead-letter queue); the rest are deleted.
 * Shipped inline: no bundling, no Docker. `toFinding` is exported so the
 * mapping is tested on its own.
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

const MAX_FINDINGS_PER_CALL = 100;

exports.handler = async (event) => {
  const failed = new Set();
  const pending = [];
  for (const record of event.Records || []) {
    try {
      pending.push({ messageId: record.messageId, finding: toFinding(JSON.parse(record.body), process.env) });
    } catch (e) {
      console.error('message ' + record.messageId + ' is not a Falco event: ' + e.message);
      failed.add(record.messageId);
    }
  }
  for (let i = 0; i < pending.length; i += MAX_FINDINGS_PER_CALL) {
    const chunk = pending.slice(i, i + MAX_FINDINGS_PER_CALL);
    try {
      const out = await client.send(new BatchImportFindingsCommand({ Findings: chunk.map((p) => p.finding) }));
      if (out.FailedCount > 0) {
        console.error('Security Hub refused ' + out.FailedCount + ' finding(s): ' + JSON.stringify(out.FailedFindings).slice(0, 2000));
        const refused = new Set((out.FailedFindings || []).map((f) => f.Id));
        for (const p of chunk) if (refused.has(p.finding.Id)) failed.add(p.messageId);
      }
    } catch (e) {
      // Throttled or unavailable: the whole call's messages are retried.
      console.error('BatchImportFindings failed (' + (e && e.name) + '): ' + (e && e.message));
      for (const p of chunk) failed.add(p.messageId);
    }
  }
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
};
`;
