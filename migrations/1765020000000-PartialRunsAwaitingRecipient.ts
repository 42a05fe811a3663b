import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A registry run that rejected records ends PARTIAL; a direct handover nobody can receive yet
 * waits as AWAITING_RECIPIENT instead of counting as delivered.
 */
export class PartialRunsAwaitingRecipient1765020000000 implements MigrationInterface {
  name = 'PartialRunsAwaitingRecipient1765020000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."sync_status" ADD VALUE 'PARTIAL'`);
    await queryRunner.query(`ALTER TYPE "public"."handover_status" ADD VALUE 'AWAITING_RECIPIENT'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // PostgreSQL cannot drop an enum value: the types are rebuilt without them.
    await queryRunner.query(`UPDATE "handover" SET "status" = 'READY' WHERE "status" = 'AWAITING_RECIPIENT'`);
    await rebuildEnum(queryRunner, 'handover', 'status', 'handover_status', [
      'PENDING_RESOLUTION',
      'READY',
      'DELIVERED',
      'ACCEPTED',
      'DECLINED',
      'FAILED',
      'WAIVED',
    ]);
    await queryRunner.query(`UPDATE "sync_run" SET "status" = 'SUCCEEDED' WHERE "status" = 'PARTIAL'`);
    await rebuildEnum(
      queryRunner,
      'sync_run',
      'status',
      'sync_status',
      ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'],
      'QUEUED',
    );
  }
}

async function rebuildEnum(
  queryRunner: QueryRunner,
  table: string,
  column: string,
  type: string,
  values: string[],
  defaultValue?: string,
): Promise<void> {
  await queryRunner.query(`ALTER TYPE "public"."${type}" RENAME TO "${type}_old"`);
  await queryRunner.query(`CREATE TYPE "public"."${type}" AS ENUM(${values.map((value) => `'${value}'`).join(', ')})`);
  if (defaultValue) await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" DROP DEFAULT`);
  await queryRunner.query(
    `ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE "public"."${type}" USING "${column}"::text::"public"."${type}"`,
  );
  if (defaultValue)
    await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" SET DEFAULT '${defaultValue}'`);
  await queryRunner.query(`DROP TYPE "public"."${type}_old"`);
}
