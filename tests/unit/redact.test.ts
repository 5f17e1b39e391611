import { describe, expect, it } from 'vitest';
import { redactSecrets, redactUrl } from '../../src/redact.js';

describe('redactUrl', () => {
  it.each([
    {
      case: 'user and password',
      input: 'postgres://app:s3cret@db:5432/main',
      output: 'postgres://app:***@db:5432/main',
    },
    { case: 'no credentials', input: 'postgres://db:5432/main', output: 'postgres://db:5432/main' },
    { case: 'user only', input: 'postgresql://app@db/main', output: 'postgresql://app@db/main' },
    { case: 'redis password only', input: 'redis://:s3cret@cache:6379/0', output: 'redis://:***@cache:6379/0' },
    {
      case: 'unescaped @ # / in the password',
      input: 'postgres://app:p@s#s/w?d@db/main',
      output: 'postgres://app:***@db/main',
    },
    {
      case: 'password query parameters',
      input: 'postgres://db/main?sslmode=require&password=s3cret&sslpassword=k3y',
      output: 'postgres://db/main?sslmode=require&password=***&sslpassword=***',
    },
    {
      case: 'libpq key/value',
      input: "host=db password='s3 cret' dbname=main",
      output: 'host=db password=*** dbname=main',
    },
    { case: 'not a URL at all', input: 'garbage', output: 'garbage' },
  ])('$case', ({ input, output }) => {
    expect(redactUrl(input)).toBe(output);
  });
});

describe('redactSecrets', () => {
  it('masks the password wherever a message repeats it, raw or percent-decoded', () => {
    const target = 'postgres://app:p%40ss-w0rd@db/main';
    const message = 'login p%40ss-w0rd failed; decoded p@ss-w0rd; url postgres://app:p%40ss-w0rd@db/main';

    expect(redactSecrets(message, target)).toBe('login *** failed; decoded ***; url postgres://app:***@db/main');
  });

  it('masks query-parameter and key/value passwords', () => {
    expect(redactSecrets('bad token t0ken-value', 'redis://cache?password=t0ken-value')).toBe('bad token ***');
    expect(redactSecrets("pw 's3 cret' / s3 cret", "host=db password='s3 cret'")).toBe("pw '***' / ***");
  });

  it('leaves a message alone when the target has no secret', () => {
    expect(redactSecrets('connection refused by db:5432', 'postgres://app@db:5432/main')).toBe(
      'connection refused by db:5432',
    );
  });
});
