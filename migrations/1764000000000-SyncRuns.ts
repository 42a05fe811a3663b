import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sync runs of the nightly jobs (registry, PRIO, handover sweep) with counts, progress and watermark. */
export class SyncRuns1764000000000 implements MigrationInterface {
  name = 'SyncRuns1764000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."sync_kind" AS ENUM('REGISTRY', 'PRIO', 'HANDOVER_SWEEP')`);
    await queryRunner.query(`CREATE TYPE "public"."sync_trigger" AS ENUM('SCHEDULE', 'MANUAL')`);
    await queryRunner.query(`CREATE TYPE "public"."sync_status" AS ENUM('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')`);
    await queryRunner.query(`
      CREATE TABLE "sync_run" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "kind" "public"."sync_kind" NOT NULL,
        "trigger" "public"."sync_trigger" NOT NULL,
        "schedule_key" text,
        "status" "public"."sync_status" NOT NULL DEFAULT 'QUEUED',
        "started_at" TIMESTAMP(3) WITH TIME ZONE,
        "finished_at" TIMESTAMP(3) WITH TIME ZONE,
        "fetched" integer NOT NULL DEFAULT '0',
        "inserted" integer NOT NULL DEFAULT '0',
        "updated" integer NOT NULL DEFAULT '0',
        "unchanged" integer NOT NULL DEFAULT '0',
        "failed" integer NOT NULL DEFAULT '0',
        "since" text,
        "watermark" text,
        "pages_done" integer NOT NULL DEFAULT '0',
        "pages_known" integer,
        "error" text,
        "details" jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT "pk_sync_run" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`CREATE UNIQUE INDEX "idx_sync_run_schedule_key" ON "sync_run" ("schedule_key")`);
    await queryRunner.query(`CREATE INDEX "idx_sync_run_created_at_id" ON "sync_run" ("created_at", "id")`);
    await queryRunner.query(
      `CREATE INDEX "idx_sync_run_kind_status_finished_at" ON "sync_run" ("kind", "status", "finished_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_sync_run_kind_status_finished_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_sync_run_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_sync_run_schedule_key"`);
    await queryRunner.query(`DROP TABLE "sync_run"`);
    await queryRunner.query(`DROP TYPE "public"."sync_status"`);
    await queryRunner.query(`DROP TYPE "public"."sync_trigger"`);
    await queryRunner.query(`DROP TYPE "public"."sync_kind"`);
  }
}
