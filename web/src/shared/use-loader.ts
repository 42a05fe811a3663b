import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';

export interface Loader<T> {
  value: ShallowRef<T | undefined>;
  loading: Ref<boolean>;
  error: ShallowRef<unknown>;
  /** Loads again (after a change, a new filter or page); the last answer wins. */
  reload(): Promise<void>;
}

/** What a page shows while it fetches: the data, a loading flag, and the failure to tell the person. */
export function useLoader<T>(load: () => Promise<T>): Loader<T> {
  const value = shallowRef<T>();
  const loading = ref(false);
  const error = shallowRef<unknown>();
  let latest = 0;
  const reload = async (): Promise<void> => {
    const call = ++latest;
    loading.value = true;
    try {
      const answer = await load();
      if (call === latest) [value.value, error.value] = [answer, undefined];
    } catch (failure) {
      if (call === latest) error.value = failure;
    } finally {
      if (call === latest) loading.value = false;
    }
  };
  void reload();
  return { value, loading, error, reload };
}
