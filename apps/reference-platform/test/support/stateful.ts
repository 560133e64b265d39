/** Resource types that hold data or keys, and so follow the one removal-policy switch. */
export const STATEFUL_TYPES = [
  'AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table',
  'AWS::EFS::FileSystem', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::SecretsManager::Secret', 'AWS::Backup::BackupVault',
];
