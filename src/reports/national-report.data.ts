import type { Activity } from '../activities/activity.entity';
import { AreaWithMunicipalities } from '../areas/areas.service';
import { KurPhase } from '../areas/area.enums';
import { FollowUpStatistics } from '../follow-ups/follow-ups.service';
import type { Handover } from '../handovers/handover.entity';
import { ReadinessPoint } from '../readiness/readiness.rules';
import type { ResolutionCase } from '../resolutions/resolution-case.entity';
import { ProgrammeBudget } from './programme-budget.entity';

/** Everything the national report is computed from, read live through the owning modules. */
export interface NationalReportData {
  phase: KurPhase;
  areas: AreaWithMunicipalities[];
  activities: Activity[];
  handovers: Handover[];
  associationNames: Map<string, string>;
  municipalityNames: Map<string, string>;
  cases: ResolutionCase[];
  municipalityCount: number;
  coveredMunicipalityCount: number;
  municipalitiesWithPrio: Set<string>;
  readiness: ReadinessPoint[][];
  budget: ProgrammeBudget[];
  followUps: FollowUpStatistics;
}
