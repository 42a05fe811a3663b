import { computed, ref, type ComputedRef, type Ref } from 'vue';
import { useLoader, type Loader } from './use-loader';

/** One page of a list as the API answers it. */
export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface CursorPager<T> extends Loader<Page<T>> {
  /** 1 for the first page. */
  pageNumber: ComputedRef<number>;
  hasNext: ComputedRef<boolean>;
  hasPrevious: ComputedRef<boolean>;
  next(): Promise<void>;
  previous(): Promise<void>;
  /** Back to the first page (after a filter changed). */
  restart(): Promise<void>;
}

/**
 * Pages through an API list with its opaque cursors: the cursors of the pages seen so far are
 * kept, so "previous" asks the API again for the page before rather than keeping every row.
 */
export function useCursorPager<T>(load: (cursor: string | undefined) => Promise<Page<T>>): CursorPager<T> {
  const cursors: Ref<(string | undefined)[]> = ref([undefined]);
  const loader = useLoader(() => load(cursors.value[cursors.value.length - 1]));
  const pageNumber = computed(() => cursors.value.length);
  const hasNext = computed(() => Boolean(loader.value.value?.nextCursor));
  const hasPrevious = computed(() => cursors.value.length > 1);
  return {
    ...loader,
    pageNumber,
    hasNext,
    hasPrevious,
    async next() {
      const cursor = loader.value.value?.nextCursor;
      if (!cursor) return;
      cursors.value = [...cursors.value, cursor];
      await loader.reload();
    },
    async previous() {
      if (cursors.value.length < 2) return;
      cursors.value = cursors.value.slice(0, -1);
      await loader.reload();
    },
    async restart() {
      cursors.value = [undefined];
      await loader.reload();
    },
  };
}
