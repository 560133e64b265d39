import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PropsCheck } from './props-check';
import { ValidationProblem } from './validation-problem';

/** Slack's channel-name rule: lowercase letters, digits, `-` and `_`, at most 80 characters. */
const MAX_LENGTH = 80;

/**
 * A Slack channel name as Keelson's notifications take it (Argo CD, Alertmanager,
 * the reference app's config): the one definition of the rule, and of the
 * suffix the DR cluster's channel carries.
 */
export class SlackChannel {
  /** The longest channel name Slack allows. */
  public static readonly MAX_LENGTH = MAX_LENGTH;
  /** The suffix of the DR cluster's channel (`platform-alerts` -> `platform-alerts-dr`). */
  public static readonly DR_SUFFIX = '-dr';

  /**
   * What is wrong with `name` as a channel name (written without `#`), or `undefined` when it is one.
   *
   * @param name the channel name
   * @param suffix a suffix that will be appended (`SlackChannel.DR_SUFFIX`), so the name leaves room for it
   */
  public static problem(name: string, suffix?: string): ValidationProblem | undefined {
    const max = MAX_LENGTH - (suffix ?? '').length;
    if (typeof name === 'string' && new RegExp(SlackChannel.pattern(suffix)).test(name)) return undefined;
    const room = suffix ? ` and room for "${suffix}"` : '';
    return { problem: `"${name}" is not a Slack channel name`, fix: `use the channel name without #: lowercase letters, digits, - and _ (up to ${max}${room})` };
  }

  /**
   * The rule as a regular expression source (for schemas: JSON Schema `pattern`, zod `regex`).
   *
   * @param suffix a suffix that will be appended, so the name leaves room for it
   */
  public static pattern(suffix?: string): string {
    return `^[a-z0-9][a-z0-9_-]{0,${MAX_LENGTH - (suffix ?? '').length - 1}}$`;
  }

  /** Fail at synth, naming the field, unless `name` is a channel name (without `#`). Tokens pass. */
  public static check(scope: IConstruct, field: string, name: string, suffix?: string): void {
    if (Token.isUnresolved(name)) return;
    const problem = SlackChannel.problem(name, suffix);
    if (problem) PropsCheck.fail(scope, field, problem.problem, problem.fix);
  }

  /** The DR cluster's channel for a primary channel: `<name>-dr`. */
  public static dr(name: string): string {
    return `${name}${SlackChannel.DR_SUFFIX}`;
  }

  private constructor() {}
}
