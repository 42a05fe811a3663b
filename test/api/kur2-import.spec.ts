import { INestApplicationContext } from '@nestjs/common';
import { createCliContext } from '../../src/cli/cli.module';
import { Kur2ImportService } from '../../src/kur2-import/kur2-import.service';
import { TestApp, startTestApp } from '../support/test-app';

describe('KUR 2 import', () => {
  let api: TestApp;
  let cli: INestApplicationContext;

  beforeAll(async () => {
    api = await startTestApp();
    cli = await createCliContext(api.config);
  });
  afterAll(async () => {
    await cli.close();
    await api.close();
  });

  const snapshot = async () => ({
    areas: await api.dataSource.query('SELECT * FROM area ORDER BY id'),
    links: await api.dataSource.query('SELECT * FROM area_municipality ORDER BY area_id, municipality_code'),
    activities: await api.dataSource.query('SELECT * FROM activity ORDER BY id'),
    audit: await api.dataSource.query('SELECT * FROM audit_event ORDER BY id'),
  });

  it('loads the 34 areas, 7 NORD, 6 SYD, 5 VAST, 8 MITT and 8 STOCKHOLM, with their activities', async () => {
    const result = await cli.get(Kur2ImportService).load();
    expect(result).toMatchObject({ areas: 34, activities: 47, changedAreas: 34, changedActivities: 47 });

    const areas = await api.request('GET', '/api/v1/areas?limit=200&kurPhase=KUR2');
    expect(areas.body.items).toHaveLength(34);
    const perRegion: Record<string, number> = {};
    for (const area of areas.body.items) perRegion[area.kurRegion] = (perRegion[area.kurRegion] ?? 0) + 1;
    expect(perRegion).toEqual({ NORD: 7, SYD: 6, VAST: 5, MITT: 8, STOCKHOLM: 8 });

    const eskilstuna = areas.body.items.find((area: { name: string }) => area.name === 'Eskilstuna med partner');
    expect(eskilstuna).toMatchObject({
      kurRegion: 'MITT',
      kurPhase: 'KUR2',
      status: 'GRANTED',
      municipalityCodes: ['0484'],
      grantedSek: null,
    });
    const activities = await api.request('GET', `/api/v1/activities?areaId=${eskilstuna.id}`);
    expect(activities.body.items).toEqual([
      expect.objectContaining({
        type: 'KNOWLEDGE_INITIATIVE',
        plannedParticipants: 100,
        sessions: [
          expect.objectContaining({ format: 'CONFERENCE' }),
          expect.objectContaining({ format: 'CONFERENCE' }),
        ],
        hiredRoles: ['LECTURER'],
        planningPrincipals: ['FK', 'AF', 'MUNICIPALITY', 'REGION'],
      }),
    ]);
  });

  it('changes nothing, not even updated_at, when run again', async () => {
    const before = await snapshot();
    const result = await cli.get(Kur2ImportService).load();
    expect(result).toMatchObject({ changedAreas: 0, changedActivities: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('keeps progress made through the API when run again', async () => {
    const [area] = (await api.request('GET', '/api/v1/areas?limit=1')).body.items;
    const read = await api.request('GET', `/api/v1/areas/${area.id}`);
    const withdrawn = await api.request('PATCH', `/api/v1/areas/${area.id}`, {
      body: { status: 'WITHDRAWN' },
      headers: { 'if-match': read.headers.get('etag') as string },
    });
    expect(withdrawn.status).toBe(200);
    await cli.get(Kur2ImportService).load();
    expect((await api.request('GET', `/api/v1/areas/${area.id}`)).body.status).toBe('WITHDRAWN');
  });
});
