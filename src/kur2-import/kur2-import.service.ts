import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { ActivityStatus } from '../activities/activity.enums';
import { AreaStatus, KurPhase } from '../areas/area.enums';
import { AreasService } from '../areas/areas.service';
import { dataFile } from '../core/data-files';
import { ALL_PRINCIPALS } from '../core/domain/principal';
import { Kur2AreaRecord } from './kur2-record';

const ACTOR = 'system:kur2-loader';

export interface Kur2ImportResult {
  areas: number;
  activities: number;
  changedAreas: number;
  changedActivities: number;
}

/**
 * Loads the 34 granted KUR 2 areas and their activities. Idempotent: areas are keyed by
 * (name, phase), activities by (area, title), and only differences are written.
 */
@Injectable()
export class Kur2ImportService {
  private readonly logger = new Logger(Kur2ImportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly areas: AreasService,
    private readonly activities: ActivitiesService,
  ) {}

  async load(records: Kur2AreaRecord[] = readKur2Areas()): Promise<Kur2ImportResult> {
    const result: Kur2ImportResult = { areas: records.length, activities: 0, changedAreas: 0, changedActivities: 0 };
    await this.dataSource.transaction(async (manager) => {
      for (const record of records) {
        const { area, changed } = await this.areas.upsertImported(
          manager,
          {
            name: record.name,
            kurRegion: record.kurRegion,
            kurPhase: KurPhase.KUR2,
            // The sources state the grant but not its amount per area.
            grantedSek: null,
            status: AreaStatus.GRANTED,
            principals: [],
            summary: record.summary,
            notes: record.notes ?? null,
            municipalityCodes: record.municipalityCodes,
          },
          ACTOR,
        );
        if (changed) result.changedAreas++;
        for (const activity of record.activities) {
          result.activities++;
          const activityChanged = await this.activities.upsertImported(
            manager,
            {
              areaId: area.id,
              type: activity.type,
              title: activity.title,
              themes: activity.themes,
              status: ActivityStatus.IN_PROGRESS,
              // KUR 2 money was granted only to efforts planned jointly by all four principals.
              planningPrincipals: [...ALL_PRINCIPALS],
              plannedParticipants: activity.plannedParticipants,
              sessions: activity.sessions.flatMap(({ format, count }) =>
                Array.from({ length: count }, () => ({ format, date: null, place: null })),
              ),
              hiredRoles: activity.hiredRoles,
              userInvolvement: record.userInvolvement,
              usesPrioInventory: activity.usesPrioInventory,
            },
            ACTOR,
          );
          if (activityChanged) result.changedActivities++;
        }
      }
    });
    this.logger.log(result, 'KUR 2 areas loaded');
    return result;
  }
}

export function readKur2Areas(): Kur2AreaRecord[] {
  return JSON.parse(readFileSync(dataFile('kur2_areas.json'), 'utf8')) as Kur2AreaRecord[];
}
