import { PropsCheck } from '@keelson/conventions';
import { IConstruct } from 'constructs';

/** A port (or range) a {@link NamespaceTraffic} rule opens: the pod's port, after any Service mapping. */
export class TrafficPort {
  /** One TCP port. */
  public static tcp(port: number): TrafficPort {
    return new TrafficPort('TCP', port);
  }

  /** One UDP port. */
  public static udp(port: number): TrafficPort {
    return new TrafficPort('UDP', port);
  }

  /** A range of TCP ports, both ends included. */
  public static tcpRange(from: number, to: number): TrafficPort {
    return new TrafficPort('TCP', from, to);
  }

  private constructor(
    /** `TCP` or `UDP`. */
    public readonly protocol: string,
    /** The port, or the first of the range. */
    public readonly port: number,
    /** The last port of the range, when it is one. */
    public readonly endPort?: number,
  ) {}

  /** The NetworkPolicy `ports` entry, after checking the numbers (`field` names the rule in a failure). */
  public render(scope: IConstruct, field: string): { [key: string]: any } {
    PropsCheck.inRange(scope, field, this.port, 1, 65535);
    if (this.endPort !== undefined) PropsCheck.inRange(scope, `${field}.endPort`, this.endPort, this.port, 65535);
    return { protocol: this.protocol, port: this.port, ...(this.endPort !== undefined ? { endPort: this.endPort } : {}) };
  }
}
