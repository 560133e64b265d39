import { KeelsonCommonProps } from '@keelson/conventions';
import { Duration } from 'aws-cdk-lib';

/** Options every mesh CA (root and subordinate) takes. */
export interface MeshCaOptions extends KeelsonCommonProps {
  /**
   * Organization of the CA certificate's subject.
   *
   * @default 'Keelson'
   */
  readonly organization?: string;

  /**
   * How long each CRL is valid (`nextUpdate`); the CA refreshes it before
   * then. General-purpose CAs only.
   *
   * @default Duration.days(7)
   */
  readonly crlValidity?: Duration;
}
