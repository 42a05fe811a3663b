import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/core/secrets';
import { testConfig } from '../support/environment';

const box = (key = randomBytes(32).toString('base64')) => new SecretBox(testConfig({ SECRETS_KEY: key }));

describe('SecretBox', () => {
  it('opens what it sealed, and never seals the same secret to the same text twice', () => {
    const secrets = box();
    const sealed = [secrets.seal('whsec_hemligt'), secrets.seal('whsec_hemligt')];
    expect(sealed[0]).not.toBe(sealed[1]);
    expect(sealed.map((value) => secrets.open(value))).toEqual(['whsec_hemligt', 'whsec_hemligt']);
  });

  it('says what to do when the key changed since the secret was sealed', () => {
    const sealed = box().seal('whsec_hemligt');
    expect(() => box().open(sealed)).toThrow(/SECRETS_KEY.*restore that key/);
  });
});
