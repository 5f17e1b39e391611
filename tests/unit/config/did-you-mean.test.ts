import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../../src/config/did-you-mean.js';

describe('closestName', () => {
  it.each([
    ['reciever_listen', ['prober_listen', 'receiver_listen'], 'receiver_listen'],
    ['intervall', ['id', 'name', 'interval', 'timeout'], 'interval'],
    ['strat', ['start', 'prober', 'receiver'], 'start'],
    ['confg-dir', ['config-dir', 'data-dir'], 'config-dir'],
    ['Timeout', ['interval', 'timeout'], 'timeout'],
    ['api_key', ['base_url', 'model', 'timeout', 'max_tokens'], undefined],
    ['x', ['start', 'prober'], undefined],
  ])('%s among %j → %s', (input, candidates, expected) => {
    expect(closestName(input, candidates)).toBe(expected);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('reciever', 'receiver')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
