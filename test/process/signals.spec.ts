import { connect } from 'node:net';
import { AppConfig } from '../../config/app-config';
import { createDatabase, dropDatabase } from '../support/databases';
import { databaseUrl, templateDatabase, testConfig, uniqueName } from '../support/environment';
import { freePort } from '../support/private-services';
import { ServiceProcess, spawnService, waitForApi } from '../support/processes';
import { deleteQueueKeys } from '../support/test-app';
import { waitFor } from '../support/wait';

/** Only SIGTERM and SIGINT stop a service; SIGUSR2 (sent by tools for their own reasons) is logged and ignored. */
describe('signals to the real API and worker processes', () => {
  const database = uniqueName('kur_test');
  let config: AppConfig;
  let running: ServiceProcess | undefined;

  beforeAll(async () => {
    await createDatabase(database, templateDatabase());
    config = testConfig({
      DATABASE_URL: databaseUrl(database),
      QUEUE_PREFIX: uniqueName('kurtest'),
      LOG_LEVEL: 'info',
    });
  });
  afterEach(() => running?.kill('SIGKILL'));
  afterAll(async () => {
    await dropDatabase(database);
    await deleteQueueKeys(config.QUEUE_PREFIX);
  });

  const started = {
    main: async (service: ServiceProcess) => waitForApi(`http://127.0.0.1:${config.PORT}`, service),
    worker: (service: ServiceProcess) =>
      waitFor(() => exited(service) ?? service.output().includes('Worker started'), {
        what: 'the worker to start',
        timeoutMs: 30_000,
      }),
  };

  it.each(['main', 'worker'] as const)('%s keeps running on SIGUSR2 and stops gracefully on SIGTERM', async (entry) => {
    config = Object.assign(Object.create(AppConfig.prototype), config, { PORT: await freePort() });
    const service = (running = spawnService(entry, config));
    await started[entry](service);

    service.child.kill('SIGUSR2');
    await waitFor(() => exited(service) ?? service.output().includes('SIGUSR2 ignored'), {
      what: 'the service to log that it ignored SIGUSR2',
    });
    if (entry === 'main') expect((await fetch(`http://127.0.0.1:${config.PORT}/health/live`)).status).toBe(200);
    expect(service.child.exitCode).toBeNull();

    await service.kill('SIGTERM');
    expect(service.child.signalCode).toBe('SIGTERM');
  });

  it('main stops on SIGTERM although a client never finishes its request, closing it after HTTP_DRAIN_MS', async () => {
    config = Object.assign(Object.create(AppConfig.prototype), config, { PORT: await freePort(), HTTP_DRAIN_MS: 200 });
    const service = (running = spawnService('main', config));
    await started.main(service);
    // Headers promise a body that never comes: a request under way, not an idle connection. The
    // server's "100 Continue" says it has read them.
    const client = connect(config.PORT, '127.0.0.1');
    const closed = new Promise((resolve) => client.once('close', resolve));
    const continued = new Promise((resolve) => client.once('data', resolve));
    client.write(
      'POST /api/v1/areas HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\nExpect: 100-continue\r\n\r\n',
    );
    expect(String(await continued)).toMatch(/^HTTP\/1\.1 100 Continue/);
    client.write('{"name":');

    await service.kill('SIGTERM');
    expect(service.child.signalCode).toBe('SIGTERM');
    expect(service.output()).toContain('1 connection(s) still open 200 ms after the stop began: closing them');
    await closed;
  });
});

/** Throws (the wait reports it) when the process has exited; undefined while it runs. */
function exited(service: ServiceProcess): undefined {
  const { exitCode, signalCode } = service.child;
  if (exitCode !== null || signalCode !== null) {
    throw new Error(`the process exited (${signalCode ?? exitCode}): ${service.output().slice(-1500)}`);
  }
  return undefined;
}
