import { Principal } from '../core/domain/principal';

/** The structured plan template the final report asked for. Stored as one immutable revision. */
export interface PlanContent {
  targetGroup: string;
  needsAnalysis: {
    summary: string;
    /** PRIO inventories cited, as municipality code and year. */
    prioReferences: { municipalityCode: string; year: number }[];
  };
  goals: { statement: string; indicator: string; baseline: string; target: string; dueDate: string }[];
  measures: { action: string; responsiblePrincipal: Principal; dueDate: string }[];
  /** `intervalMonths` (1..24) drives follow-up rounds; revisions written before it have none. */
  followUp: { method: string; interval: string; owner?: string; intervalMonths?: number };
}
