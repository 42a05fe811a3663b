import { computed, ref, type ComputedRef, type Ref } from 'vue';
import { useLoader, type Loader } from './use-loader';

/** One page of a list as the API answers it (DESIGN.md: `{items, nextCursor}`). */
export interface ApiPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorPages<T> extends Loader<ApiPage<T>> {
  /** 1 for the first page. */
  pageNumber: ComputedRef<number>;
  hasPrevious: ComputedRef<boolean>;
  hasNext: ComputedRef<boolean>;
  next(): Promise<void>;
  previous(): Promise<void>;
  /** Back to the first page (after a new filter or a change). */
  restart(): Promise<void>;
}

/**
 * A list read page by page through the API's cursors. The API only goes forward, so the cursors of
 * the pages already read are kept to step back.
 */
export function useCursorPages<T>(load: (cursor: string | undefined) => Promise<ApiPage<T>>): CursorPages<T> {
  const cursors: Ref<(string | undefined)[]> = ref([undefined]);
  const index = ref(0);
  const loader = useLoader(() => load(cursors.value[index.value]));
  const nextCursor = computed(() => loader.value.value?.nextCursor ?? null);
  return {
    ...loader,
    pageNumber: computed(() => index.value + 1),
    hasPrevious: computed(() => index.value > 0),
    hasNext: computed(() => nextCursor.value !== null),
    async next() {
      if (!nextCursor.value) return;
      cursors.value = [...cursors.value.slice(0, index.value + 1), nextCursor.value];
      index.value += 1;
      await loader.reload();
    },
    async previous() {
      if (index.value === 0) return;
      index.value -= 1;
      await loader.reload();
    },
    async restart() {
      cursors.value = [undefined];
      index.value = 0;
      await loader.reload();
    },
  };
}
