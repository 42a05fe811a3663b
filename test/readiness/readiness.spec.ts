import { Role } from '../../src/auth/principal';
import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { PLAN_CONTENT, associationByMember, expectOk, finishedWork, setEndpoint } from '../pipeline/kur-fixtures';

type Point = { id: string; lesson: string; result: string; reason: string };
const byId = (points: Point[]): Record<string, Point> => Object.fromEntries(points.map((point) => [point.id, point]));

describe('readiness: the final report lessons, before and at finishing and in the package', () => {
  let api: TestApp;
  let receiver: AssociationReceiver;

  beforeAll(async () => {
    api = await startTestApp({}, { worker: true });
    receiver = await startAssociationReceiver();
    const stockholm = await associationByMember(api, '0180');
    await setEndpoint(api, stockholm.id, receiver.addReceiver('stockholm'));
  });

  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  it('warns about a missing top-management sign-off and follow-up owner everywhere the area is seen', async () => {
    const { owner: _owner, ...withoutOwner } = PLAN_CONTENT.followUp;
    const areaId = await finishedWork(api, 'Utan förankring med partner', ['0180', '0123'], {
      content: { ...PLAN_CONTENT, followUp: withoutOwner },
      managementLevel: 'MIDDLE',
    });

    const before = byId((await expectOk(api.request('GET', `/api/v1/areas/${areaId}/readiness`))).points);
    expect(before['top-management-sign-off']).toMatchObject({ result: 'WARN', lesson: 'ANCHORING' });
    expect(before['top-management-sign-off'].reason).toContain('högsta ledningen');
    expect(before['follow-up-owner']).toMatchObject({ result: 'WARN', lesson: 'GOALS_AND_FOLLOW_UP' });
    expect(before['follow-up-owner'].reason).toContain('ägare av uppföljningen');
    expect(before['concrete-goals'].result).toBe('PASS');
    expect(before['association-coverage']).toMatchObject({ result: 'WARN' });
    expect(before['association-coverage'].reason).toContain('Järfälla');
    expect(before['user-organisations'].result).toBe('WARN');

    const finished = await expectOk(api.request('POST', `/api/v1/areas/${areaId}/finish`));
    expect(byId(finished.readiness.points)['top-management-sign-off'].result).toBe('WARN');
    expect(byId(finished.readiness.points)['follow-up-owner'].result).toBe('WARN');

    const [delivered] = await waitFor(
      () => receiver.deliveries('stockholm').length > 0 && receiver.deliveries('stockholm'),
      {
        what: 'the package at the association',
      },
    );
    const packaged = delivered.payload.data;
    expect(packaged.schemaVersion).toBe(2);
    expect(byId(packaged.readiness.points)['top-management-sign-off']).toEqual(before['top-management-sign-off']);
    expect(byId(packaged.readiness.points)['follow-up-owner']).toEqual(before['follow-up-owner']);
  });

  it('passes an area whose plans are anchored at the top and followed up by a named owner', async () => {
    const areaId = await finishedWork(api, 'Väl förankrad med partner', ['0180']);
    const points = byId((await expectOk(api.request('GET', `/api/v1/areas/${areaId}/readiness`))).points);
    expect(points['top-management-sign-off'].result).toBe('PASS');
    expect(points['follow-up-owner'].result).toBe('PASS');
    expect(points['association-coverage'].result).toBe('PASS');
  });

  it('is not found for a coordinator of other areas, and rejects a follow-up interval out of range', async () => {
    const areaId = await finishedWork(api, 'Annat område med partner', ['0180']);
    const outsider = await api.tokenFor(Role.COORDINATOR, { areas: [] });
    const hidden = await api.request('GET', `/api/v1/areas/${areaId}/readiness`, { token: outsider });
    expect(hidden.status).toBe(404);

    const activities = await expectOk(api.request('GET', `/api/v1/activities?areaId=${areaId}`));
    const cooperation = activities.items.find((activity: { type: string }) => activity.type === 'COOPERATION_PLAN');
    const bad = await api.request('POST', '/api/v1/plans', {
      body: {
        activityId: cooperation.id,
        kind: 'COOPERATION',
        content: { ...PLAN_CONTENT, followUp: { ...PLAN_CONTENT.followUp, intervalMonths: 25 } },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toContain('content.followUp.intervalMonths');
  });
});
