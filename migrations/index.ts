import { Initial1763800000000 } from './1763800000000-Initial';
import { HandoverPipeline1763900000000 } from './1763900000000-HandoverPipeline';
import { SyncRuns1764000000000 } from './1764000000000-SyncRuns';
import { ListIndexes1764100000000 } from './1764100000000-ListIndexes';
import { PartialRunsAwaitingRecipient1765020000000 } from './1765020000000-PartialRunsAwaitingRecipient';
import { DirectHandoversAwaitRecipient1765020000001 } from './1765020000001-DirectHandoversAwaitRecipient';
import { DeliveryUnderFaults1765030000000 } from './1765030000000-DeliveryUnderFaults';
import { OutboxNotify1765060000000 } from './1765060000000-OutboxNotify';
import { SignIn1765070000000 } from './1765070000000-SignIn';
import { FollowUpInterval1765200000000 } from './1765200000000-FollowUpInterval';
import { ProgrammeBudget1765210000000 } from './1765210000000-ProgrammeBudget';
import { FollowUps1765220000000 } from './1765220000000-FollowUps';
import { UniqueAttemptNumbers1765300000000 } from './1765300000000-UniqueAttemptNumbers';
import { ResolutionCaseArea1765330000000 } from './1765330000000-ResolutionCaseArea';
import { LeanerHandoverIndexes1765400000000 } from './1765400000000-LeanerHandoverIndexes';
import { PackageLz41765500000000 } from './1765500000000-PackageLz4';

/** Every migration in order; the app, the CLI and the tests run exactly this list. */
export const migrations = [
  Initial1763800000000,
  HandoverPipeline1763900000000,
  SyncRuns1764000000000,
  ListIndexes1764100000000,
  PartialRunsAwaitingRecipient1765020000000,
  DirectHandoversAwaitRecipient1765020000001,
  DeliveryUnderFaults1765030000000,
  OutboxNotify1765060000000,
  SignIn1765070000000,
  FollowUpInterval1765200000000,
  ProgrammeBudget1765210000000,
  FollowUps1765220000000,
  UniqueAttemptNumbers1765300000000,
  ResolutionCaseArea1765330000000,
  LeanerHandoverIndexes1765400000000,
  PackageLz41765500000000,
];
