import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from './backoff.js';
import { apiUrl, authHeaders, displayUrl, normalizeEndpoint, socketUrl } from './endpoint.js';

describe('endpoint', () => {
  it('maps http→ws and https→wss, keeping a proxy path prefix', () => {
    expect(socketUrl(normalizeEndpoint('http://gpu1:8188/'), 'abc')).toBe('ws://gpu1:8188/api/ws?clientId=abc');
    expect(socketUrl(normalizeEndpoint('https://farm.example/comfy/'), 'a b')).toBe('wss://farm.example/comfy/api/ws?clientId=a+b');
    expect(apiUrl(normalizeEndpoint('gpu1:8188'), '/view', { filename: 'a b.png', subfolder: '', type: 'output', x: undefined })).toBe(
      'http://gpu1:8188/api/view?filename=a+b.png&subfolder=&type=output',
    );
  });

  it('builds bearer, basic and custom headers; hides credentials in display URLs', () => {
    expect(authHeaders({ url: 'http://x', auth: { type: 'bearer', token: 't' }, headers: { 'X-A': '1' } })).toEqual({ 'X-A': '1', Authorization: 'Bearer t' });
    expect(authHeaders({ url: 'http://x', auth: { type: 'basic', username: 'u', password: 'p' } }).Authorization).toBe('Basic dTpw');
    expect(displayUrl(normalizeEndpoint('http://u:p@h:1/x'))).toBe('http://h:1/x');
    expect(() => normalizeEndpoint('ftp://h')).toThrow(/http/);
  });
});

describe('fullJitterDelay', () => {
  it('stays within [0, min(max, initial·2^attempt)]', () => {
    const policy = { initialDelayMs: 100, maxDelayMs: 1_000 };
    expect(fullJitterDelay(0, policy, () => 0.999)).toBe(99);
    expect(fullJitterDelay(3, policy, () => 0.999)).toBe(799);
    expect(fullJitterDelay(10, policy, () => 0.999)).toBe(999);
    expect(fullJitterDelay(50, policy, () => 0)).toBe(0);
  });
});
