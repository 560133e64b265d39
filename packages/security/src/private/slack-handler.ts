/**
 * Source of the Slack forwarder (Node.js, AWS SDK v3 from the runtime). Shipped inline:
 * no bundling, no Docker. The webhook URL is read from Secrets Manager at run time and
 * never logged.
 *
 * - Only Slack's webhook host is posted to (`https://hooks.slack.com/...`): a secret
 *   pointing elsewhere would send every finding to someone else, so it fails instead.
 * - Finding text is escaped as Slack requires (`&`, `<`, `>`), so a finding cannot
 *   inject links or mentions (`<!channel>`, `<https://...|...>`).
 * - The URL is cached for `CACHE_MILLISECONDS` only, and re-read at once when Slack
 *   answers 4xx (a revoked or rotated webhook), so a rotation takes effect without a
 *   redeploy.
 */
export const SLACK_HANDLER_SOURCE = `
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const client = new SecretsManagerClient({});
const CACHE_MILLISECONDS = 5 * 60 * 1000;
const SLACK_HOST = 'hooks.slack.com';
let cached;

async function webhookUrl(refresh) {
  if (!refresh && cached && Date.now() - cached.readAt < CACHE_MILLISECONDS) return cached.url;
  const out = await client.send(new GetSecretValueCommand({ SecretId: process.env.WEBHOOK_SECRET_ID }));
  let value = (out.SecretString || '').trim();
  if (value.startsWith('{')) {
    const json = JSON.parse(value);
    value = json.webhookUrl || json.url || json.webhook || '';
  }
  let url;
  try { url = new URL(value); } catch (e) { url = undefined; }
  if (!url || url.protocol !== 'https:' || url.hostname !== SLACK_HOST || url.username || url.password || url.port) {
    cached = undefined;
    throw new Error('the Slack webhook secret does not hold an https://' + SLACK_HOST + '/ URL');
  }
  cached = { url: url.href, readAt: Date.now() };
  return cached.url;
}

// Slack's mrkdwn escaping: the only three characters with control meaning.
function escape(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function summarise(message) {
  let event;
  try { event = JSON.parse(message); } catch (e) { return escape(String(message).slice(0, 3000)); }
  const d = event.detail || {};
  if (event.source === 'aws.guardduty') {
    return ':rotating_light: ' + escape('GuardDuty severity ' + d.severity + ' ' + d.type + ': ' + d.title + ' (account ' + d.accountId + ', ' + d.region + ')');
  }
  if (event.source === 'aws.securityhub') {
    return (d.findings || []).map((f) => ':warning: ' + escape('Security Hub ' + ((f.Severity || {}).Label) + ': ' + f.Title + ' (account ' + f.AwsAccountId + ', ' + f.Region + ')')).join('\\n');
  }
  return escape(JSON.stringify(event).slice(0, 3000));
}

async function post(url, text) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
}

exports.handler = async (event) => {
  for (const record of event.Records || []) {
    const text = summarise(record.Sns && record.Sns.Message);
    let res = await post(await webhookUrl(false), text);
    if (res.status >= 400 && res.status < 500) {
      // Revoked or rotated: read the secret again and retry once.
      res = await post(await webhookUrl(true), text);
    }
    if (!res.ok) throw new Error('Slack answered HTTP ' + res.status);
  }
};
`;
