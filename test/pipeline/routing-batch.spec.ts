import { randomUUID } from 'node:crypto';
import { RoutingService } from '../../src/handovers/routing.service';
import { countStatements } from '../support/sql-counter';
import { TestApp, startTestApp } from '../support/test-app';
import { expectOk, finishedWork } from './kur-fixtures';

/**
 * Routing jobs that run at the same time in one worker are routed together: one statement reads
 * their areas, one writes their handovers. Each call still gets its own answer, and an area whose
 * handovers cannot be written fails alone. No worker runs here, so only these calls route.
 */
describe('routing areas together', () => {
  let api: TestApp;
  let routing: RoutingService;

  beforeAll(async () => {
    api = await startTestApp();
    routing = api.app.get(RoutingService);
  });
  afterAll(() => api.close());

  const finished = async (name: string, codes: string[]): Promise<string> => {
    const areaId = await finishedWork(api, name, codes);
    await expectOk(api.request('POST', `/api/v1/areas/${areaId}/finish`));
    return areaId;
  };

  const written = async (areaId: string) =>
    (
      await api.dataSource.query(
        `SELECT (SELECT routed_revision FROM area WHERE id = $1) AS "routedRevision",
                (SELECT count(*)::int FROM handover WHERE area_id = $1) AS handovers,
                (SELECT count(*)::int FROM resolution_case WHERE area_id = $1) AS cases`,
        [areaId],
      )
    )[0];

  it('share two statements, each call answering for its own area', async () => {
    // Södertälje belongs to an association, Ekerö to none; Stockholm and Sundbyberg to one each;
    // Haninge and Tyresö to the same one.
    const mixed = await finished('Södertälje och Ekerö tillsammans', ['0181', '0125']);
    const twoAssociations = await finished('Stockholm och Sundbyberg tillsammans', ['0180', '0183']);
    const oneAssociation = await finished('Haninge och Tyresö tillsammans', ['0136', '0138']);
    const counter = countStatements(api.app, { bySender: false });

    const answers = await Promise.allSettled([
      routing.routeArea(mixed, 1),
      routing.routeArea(twoAssociations, 1),
      routing.routeArea(oneAssociation, 1),
      routing.routeArea(mixed, 1),
      routing.routeArea(randomUUID(), 1),
    ]);
    const statements = counter.total();
    counter.stop();

    expect(answers.slice(0, 4)).toEqual([2, 2, 1, 0].map((value) => ({ status: 'fulfilled', value })));
    expect(answers[4]).toMatchObject({ status: 'rejected', reason: { name: 'NotFoundError' } });
    expect(statements).toBe(2);
    expect(await written(mixed)).toEqual({ routedRevision: 1, handovers: 2, cases: 1 });
    expect(await written(twoAssociations)).toEqual({ routedRevision: 1, handovers: 2, cases: 0 });
    expect(await written(oneAssociation)).toEqual({ routedRevision: 1, handovers: 1, cases: 0 });

    const again = await Promise.all([routing.routeArea(mixed, 1), routing.routeArea(oneAssociation, 1)]);
    expect(again).toEqual([0, 0]);
    expect(await written(mixed)).toEqual({ routedRevision: 1, handovers: 2, cases: 1 });
  });

  it('fail only the area whose handovers cannot be written', async () => {
    const faulty = await finished('Stockholm med fel', ['0180']);
    const sound = await finished('Sundbyberg utan fel', ['0183']);
    await api.dataSource.query(`
      CREATE FUNCTION refuse_handover() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the test refuses handovers of area %', NEW.area_id; END $$;
      CREATE TRIGGER refuse_handover BEFORE INSERT ON handover FOR EACH ROW
        WHEN (NEW.area_id = '${faulty}') EXECUTE FUNCTION refuse_handover();`);
    try {
      const answers = await Promise.allSettled([routing.routeArea(faulty, 1), routing.routeArea(sound, 1)]);

      expect(answers[0]).toMatchObject({
        status: 'rejected',
        reason: { message: expect.stringContaining(`the test refuses handovers of area ${faulty}`) },
      });
      expect(answers[1]).toEqual({ status: 'fulfilled', value: 1 });
      expect(await written(faulty)).toEqual({ routedRevision: 0, handovers: 0, cases: 0 });
      expect(await written(sound)).toEqual({ routedRevision: 1, handovers: 1, cases: 0 });
    } finally {
      await api.dataSource.query(`DROP TRIGGER refuse_handover ON handover; DROP FUNCTION refuse_handover();`);
    }
  });
});
