import { onBeforeUnmount, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { api, data } from '../api/client';
import type { components } from '../api/generated';

export type HandoverDetail = components['schemas']['HandoverDetailView'];
type Status = HandoverDetail['status'];

/** Statuses in which the handover still moves on its own (routing, delivery and its retries). */
const MOVING: Status[] = ['PENDING_RESOLUTION', 'READY'];
const POLL_MS = 1000;
const DEADLINE_MS = 90_000;

export interface HandoverWatch {
  handover: ShallowRef<HandoverDetail | undefined>;
  /** True while it is still on its way and the deadline has not passed. */
  watching: Ref<boolean>;
  /** The deadline passed while it was still on its way. */
  timedOut: Ref<boolean>;
  error: ShallowRef<unknown>;
  watch(id: string): void;
}

/**
 * Follows one handover until it settles (delivered, failed, waiting for a recipient, waived …)
 * by reading it again every second, for at most 90 seconds; the page says what it saw last.
 */
export function useHandoverWatch(): HandoverWatch {
  const handover = shallowRef<HandoverDetail>();
  const watching = ref(false);
  const timedOut = ref(false);
  const error = shallowRef<unknown>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let round = 0;

  const stop = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    watching.value = false;
  };

  async function poll(id: string, deadline: number, mine: number): Promise<void> {
    try {
      const read = await data(api.GET('/api/v1/handovers/{id}', { params: { path: { id } } }));
      if (mine !== round) return;
      handover.value = read;
      error.value = undefined;
      if (!MOVING.includes(read.status)) return stop();
    } catch (failure) {
      if (mine !== round) return;
      error.value = failure;
    }
    if (Date.now() >= deadline) {
      timedOut.value = true;
      return stop();
    }
    timer = setTimeout(() => void poll(id, deadline, mine), POLL_MS);
  }

  onBeforeUnmount(stop);
  return {
    handover,
    watching,
    timedOut,
    error,
    watch(id: string) {
      stop();
      const mine = ++round;
      watching.value = true;
      timedOut.value = false;
      void poll(id, Date.now() + DEADLINE_MS, mine);
    },
  };
}
