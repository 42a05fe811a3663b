import { ActivityType, HiredRole, SessionFormat } from '../activities/activity.enums';
import { KurRegion } from '../areas/area.enums';

/** One area of data/kur2_areas.json (described in data/kur2_areas.md). */
export interface Kur2AreaRecord {
  name: string;
  kurRegion: KurRegion;
  countyName: string;
  municipalities: string[];
  municipalityCodes: string[];
  municipalitiesInferred: boolean;
  activities: {
    type: ActivityType;
    title: string;
    themes: string[];
    plannedParticipants: number | null;
    sessions: { format: SessionFormat; count: number }[];
    hiredRoles: HiredRole[];
    usesPrioInventory: boolean;
  }[];
  userInvolvement: {
    userOrganisationsInPlanning: boolean | null;
    userOrganisations: string[];
    livedExperienceSpeakers: boolean;
  };
  coordinationAssociationMentioned: boolean;
  summary: string;
  notes?: string;
}
