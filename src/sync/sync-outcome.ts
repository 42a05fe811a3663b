/** How a sync ended when it did not throw: what a person should see, and whether some records were left out. */
export interface SyncOutcome {
  details: Record<string, unknown>;
  /** Some records were rejected (and left as they were): the run ends PARTIAL. */
  partial?: boolean;
}
