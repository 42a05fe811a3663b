import { PrivateRedis, startPrivateRedis } from '../support/private-services';
import { startTestApp } from '../support/test-app';

describe('health', () => {
  it('answers readiness with a 503 problem (as documented) while Redis is down', async () => {
    const redis: PrivateRedis = await startPrivateRedis();
    const api = await startTestApp({ REDIS_URL: redis.url });
    try {
      await redis.kill();
      const down = await api.request('GET', '/health/ready', { token: null });
      expect(down.status).toBe(503);
      expect(down.headers.get('content-type')).toContain('application/problem+json');
      expect(down.body).toMatchObject({ type: '/problems/unavailable', status: 503 });
      expect(down.body.errorId).toBeUndefined();
      expect((await api.request('GET', '/health/live', { token: null })).status).toBe(200);
    } finally {
      await redis.start();
      await api.close();
      await redis.destroy();
    }
  });
});
