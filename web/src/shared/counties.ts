import { api, data } from '../api/client';
import type { components } from '../api/generated';

export type County = components['schemas']['CountyView'];

/** Sweden's 21 counties, asked for once per visit (one page: the API allows 200 rows). */
let counties: Promise<County[]> | null = null;

export function loadCounties(): Promise<County[]> {
  counties ??= data(api.GET('/api/v1/counties', { params: { query: { limit: 200 } } })).then((page) => page.items);
  counties.catch(() => (counties = null)); // a failure is asked again next time
  return counties;
}

/** The county's name for its code, or the code while names are unknown. */
export function countyName(list: County[] | undefined, code: string): string {
  return list?.find((county) => county.code === code)?.name ?? code;
}
