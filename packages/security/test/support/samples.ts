/** Sample EventBridge events, shaped like the ones GuardDuty and Security Hub emit. */
export function guardDutyFinding(severity: number): Record<string, unknown> {
  return {
    'version': '0',
    'id': 'c8c4daa7-a20c-2f03-0070-b7393dd542ad',
    'detail-type': 'GuardDuty Finding',
    'source': 'aws.guardduty',
    'account': '111111111111',
    'time': '2026-11-21T00:00:00Z',
    'region': 'ap-southeast-1',
    'resources': [],
    'detail': {
      schemaVersion: '2.0',
      accountId: '111111111111',
      region: 'ap-southeast-1',
      id: 'finding-1',
      type: 'Execution:Runtime/NewBinaryExecuted',
      resource: { resourceType: 'EKSCluster', eksClusterDetails: { name: 'platform-dev' } },
      severity,
      title: 'A newly created or recently modified binary file has been executed.',
    },
  };
}

export function securityHubFinding(label: string): Record<string, unknown> {
  return {
    'version': '0',
    'id': '8e5622f9-d81c-4d81-612a-9319e7ee2506',
    'detail-type': 'Security Hub Findings - Imported',
    'source': 'aws.securityhub',
    'account': '111111111111',
    'time': '2026-11-21T00:00:00Z',
    'region': 'ap-southeast-1',
    'resources': ['arn:aws:securityhub:ap-southeast-1::finding/1'],
    'detail': {
      findings: [{
        SchemaVersion: '2018-10-08',
        AwsAccountId: '111111111111',
        Region: 'ap-southeast-1',
        Title: 'S3 general purpose buckets should block public access',
        Severity: { Label: label, Normalized: label === 'HIGH' ? 70 : 1 },
        Workflow: { Status: 'NEW' },
      }],
    },
  };
}
