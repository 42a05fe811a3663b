import { AreaWithMunicipalities } from './areas.service';

export const toAreaView = ({ area, municipalityCodes }: AreaWithMunicipalities) => ({
  id: area.id,
  name: area.name,
  kurRegion: area.kurRegion,
  kurPhase: area.kurPhase,
  status: area.status,
  grantedSek: area.grantedSek,
  allocatedSek: area.allocatedSek,
  municipalityCodes,
  principals: area.principals,
  summary: area.summary,
  notes: area.notes,
  version: area.version,
  createdAt: area.createdAt,
  updatedAt: area.updatedAt,
});
