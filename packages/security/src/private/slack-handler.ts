/**
 * Source of the Slack forwarder (Node.js, AWS SDK v3 from the runtime). Shipped inline:
 * no bundling, no Docker. The webhook URL is read from Secrets Manager at run time and
 * never logged.
 */
export const SLACK_HANDLER_SOURCE = `
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const client = new SecretsManagerClient({});
let cachedUrl;

async function webhookUrl() {
  if (cachedUrl) return cachedUrl;
  const out = await client.send(new GetSecretValueCommand({ SecretId: process.env.WEBHOOK_SECRET_ID }));
  let value = (out.SecretString || '').trim();
  if (value.startsWith('{')) {
    const json = JSON.parse(value);
    value = json.webhookUrl || json.url || json.webhook || '';
  }
  if (!/^https:\\/\\//.test(value)) throw new Error('the Slack webhook secret does not hold an https URL');
  cachedUrl = value;
  return cachedUrl;
}

function summarise(message) {
  let event;
  try { event = JSON.parse(message); } catch (e) { return String(message).slice(0, 3000); }
  const d = event.detail || {};
  if (event.source === 'aws.guardduty') {
    return ':rotating_light: GuardDuty severity ' + d.severity + ' ' + d.type + ': ' + d.title + ' (account ' + d.accountId + ', ' + d.region + ')';
  }
  if (event.source === 'aws.securityhub') {
    return (d.findings || []).map((f) => ':warning: Security Hub ' + ((f.Severity || {}).Label) + ': ' + f.Title + ' (account ' + f.AwsAccountId + ', ' + f.Region + ')').join('\\n');
  }
  return JSON.stringify(event).slice(0, 3000);
}

exports.handler = async (event) => {
  const url = await webhookUrl();
  for (const record of event.Records || []) {
    const text = summarise(record.Sns && record.Sns.Message);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    if (!res.ok) throw new Error('Slack answered HTTP ' + res.status);
  }
};
`;
