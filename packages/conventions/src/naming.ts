import { IConstruct } from 'constructs';
import { PropsCheck } from './props-check';

/** The suffix used when a construct is given none. */
export const DEFAULT_ENVIRONMENT_SUFFIX = 'dev';

/**
 * Physical names follow `<resource>-<environmentSuffix>`.
 */
export class ResourceNaming {
  /**
   * Naming for a construct, validating the suffix once.
   *
   * @param scope the construct that owns the names (used in error messages)
   * @param environmentSuffix the suffix; defaults to `dev`
   */
  public static of(scope: IConstruct, environmentSuffix?: string): ResourceNaming {
    const suffix = environmentSuffix ?? DEFAULT_ENVIRONMENT_SUFFIX;
    PropsCheck.environmentSuffix(scope, 'environmentSuffix', suffix);
    return new ResourceNaming(scope, suffix);
  }

  private constructor(private readonly scope: IConstruct, public readonly environmentSuffix: string) {}

  /**
   * `<resource>-<environmentSuffix>`, cut to `maxLength` by shortening the
   * resource part (the suffix is what tells environments apart).
   *
   * @param resource the resource's base name, for example `platform-vpc`
   * @param maxLength the service's limit on the name
   * @default maxLength 63
   */
  public name(resource: string, maxLength: number = 63): string {
    const tail = `-${this.environmentSuffix}`;
    if (tail.length >= maxLength) {
      PropsCheck.fail(this.scope, 'environmentSuffix', `"${this.environmentSuffix}" leaves no room in a ${maxLength}-character name`, 'use a shorter suffix');
    }
    return `${resource.slice(0, maxLength - tail.length)}${tail}`;
  }
}
