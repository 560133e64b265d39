import { App, Stack, Token } from 'aws-cdk-lib';
import { SlackChannel } from '../src';

describe('SlackChannel', () => {
  const stack = new Stack(new App(), 'Slack');
  test('channel names without #, at most 80 characters, or 77 to leave room for the DR suffix', () => {
    expect(SlackChannel.problem('platform-alerts')).toBeUndefined();
    expect(SlackChannel.problem('a'.repeat(80))).toBeUndefined();
    expect(SlackChannel.problem('a'.repeat(81))?.problem).toBe(`"${'a'.repeat(81)}" is not a Slack channel name`);
    expect(SlackChannel.problem('#alerts')).toEqual({ problem: '"#alerts" is not a Slack channel name', fix: 'use the channel name without #: lowercase letters, digits, - and _ (up to 80)' });
    expect(SlackChannel.problem('a'.repeat(77), SlackChannel.DR_SUFFIX)).toBeUndefined();
    expect(SlackChannel.problem('a'.repeat(78), SlackChannel.DR_SUFFIX)?.fix).toBe('use the channel name without #: lowercase letters, digits, - and _ (up to 77 and room for "-dr")');
    expect(SlackChannel.dr('platform-alerts')).toBe('platform-alerts-dr');
    expect(SlackChannel.problem(SlackChannel.dr('a'.repeat(77)))).toBeUndefined();
  });
  test('check names the field; tokens pass', () => {
    expect(() => SlackChannel.check(stack, 'notifications.channel', 'Ops')).toThrow('Slack: invalid notifications.channel: "Ops" is not a Slack channel name. Fix: use the channel name without #');
    expect(() => SlackChannel.check(stack, 'notifications.channel', Token.asString({ Ref: 'X' }))).not.toThrow();
  });
});
