import { computed, shallowRef, type ComputedRef, type ShallowRef } from 'vue';
import { api, data } from '../../api/client';
import type { components } from '../../api/generated';
import { countyName, loadCounties, type County } from '../../shared/counties';

type Association = components['schemas']['AssociationView'];

export interface AssociationChoices {
  sameCounty: ShallowRef<Association[]>;
  otherCounties: ComputedRef<Association[]>;
  error: ShallowRef<unknown>;
  nameOf(id: string): string;
  countyOf(association: Association): string;
}

const activeIn = (countyCode?: string) =>
  data(api.GET('/api/v1/associations', { params: { query: { active: 'true', countyCode, limit: 200 } } }));

/**
 * The associations a case can sensibly go to: active ones, those of the municipality's own
 * county first (the API filters both). Sweden has under a hundred, so one page each holds them.
 */
export function useAssociationChoices(countyCode: () => string): AssociationChoices {
  const sameCounty = shallowRef<Association[]>([]);
  const all = shallowRef<Association[]>([]);
  const counties = shallowRef<County[]>();
  const error = shallowRef<unknown>();
  Promise.all([activeIn(countyCode()), activeIn(), loadCounties()]).then(
    ([own, every, list]) => {
      [sameCounty.value, all.value, counties.value] = [own.items, every.items, list];
    },
    (failure: unknown) => (error.value = failure),
  );
  const otherCounties = computed(() => all.value.filter((association) => association.countyCode !== countyCode()));
  return {
    sameCounty,
    otherCounties,
    error,
    nameOf: (id) => all.value.find((association) => association.id === id)?.name ?? 'Förbundet',
    countyOf: (association) => countyName(counties.value, association.countyCode),
  };
}
