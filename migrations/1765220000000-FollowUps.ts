import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-up rounds owed by associations on accepted handovers, their reports, the daily job that
 * opens them, and the record of every announcement (push and e-mail) to associations.
 */
export class FollowUps1765220000000 implements MigrationInterface {
  name = 'FollowUps1765220000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."sync_kind" ADD VALUE IF NOT EXISTS 'FOLLOW_UP'`);
    await queryRunner.query(
      `CREATE TYPE "public"."follow_up_status" AS ENUM('SCHEDULED', 'DUE', 'OVERDUE', 'SUBMITTED')`,
    );
    await queryRunner.query(`
      CREATE TABLE "follow_up_round" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "handover_id" uuid NOT NULL,
        "association_id" uuid NOT NULL,
        "area_id" uuid NOT NULL,
        "plan_id" uuid NOT NULL,
        "plan_revision" integer NOT NULL,
        "sequence" integer NOT NULL,
        "due_on" date NOT NULL,
        "status" "public"."follow_up_status" NOT NULL DEFAULT 'SCHEDULED',
        "submitted_at" TIMESTAMP(3) WITH TIME ZONE,
        "version" integer NOT NULL,
        CONSTRAINT "pk_follow_up_round" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_follow_up_round_handover_id_plan_id_sequence" ON "follow_up_round" ("handover_id", "plan_id", "sequence")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_follow_up_round_status_due_on" ON "follow_up_round" ("status", "due_on")`,
    );
    await queryRunner.query(`CREATE INDEX "idx_follow_up_round_due_on_id" ON "follow_up_round" ("due_on", "id")`);
    await queryRunner.query(
      `CREATE INDEX "idx_follow_up_round_association_id" ON "follow_up_round" ("association_id")`,
    );
    await queryRunner.query(`CREATE INDEX "idx_follow_up_round_area_id" ON "follow_up_round" ("area_id")`);
    await queryRunner.query(`CREATE INDEX "idx_follow_up_round_plan_id" ON "follow_up_round" ("plan_id")`);
    await queryRunner.query(`
      CREATE TABLE "follow_up_report" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "round_id" uuid NOT NULL,
        "supersedes_id" uuid,
        "submitted_by" text NOT NULL,
        "goals" jsonb NOT NULL,
        "measures" jsonb NOT NULL,
        CONSTRAINT "pk_follow_up_report" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_follow_up_report_round_id" ON "follow_up_report" ("round_id")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_follow_up_report_supersedes_id" ON "follow_up_report" ("supersedes_id")`,
    );
    await queryRunner.query(`CREATE TYPE "public"."notification_channel" AS ENUM('EMAIL', 'PUSH')`);
    await queryRunner.query(
      `CREATE TYPE "public"."notification_status" AS ENUM('PENDING', 'SENT', 'FAILED', 'SKIPPED')`,
    );
    await queryRunner.query(`
      CREATE TABLE "notification" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "dedupe_key" text NOT NULL,
        "event" text NOT NULL,
        "channel" "public"."notification_channel" NOT NULL,
        "association_id" uuid NOT NULL,
        "subject_id" uuid NOT NULL,
        "recipient" text NOT NULL,
        "payload" jsonb NOT NULL,
        "status" "public"."notification_status" NOT NULL DEFAULT 'PENDING',
        "attempts" integer NOT NULL DEFAULT '0',
        "last_outcome" text,
        "sent_at" TIMESTAMP(3) WITH TIME ZONE,
        CONSTRAINT "pk_notification" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "idx_notification_dedupe_key" ON "notification" ("dedupe_key")`);
    await queryRunner.query(`CREATE INDEX "idx_notification_created_at_id" ON "notification" ("created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "idx_notification_association_id" ON "notification" ("association_id")`);
    await queryRunner.query(`CREATE INDEX "idx_notification_subject_id" ON "notification" ("subject_id")`);
    for (const [table, column, target] of [
      ['notification', 'association_id', 'coordination_association'],
      ['follow_up_round', 'handover_id', 'handover'],
      ['follow_up_round', 'association_id', 'coordination_association'],
      ['follow_up_round', 'area_id', 'area'],
      ['follow_up_round', 'plan_id', 'plan'],
      ['follow_up_report', 'round_id', 'follow_up_round'],
      ['follow_up_report', 'supersedes_id', 'follow_up_report'],
    ]) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "fk_${table}_${column}" FOREIGN KEY ("${column}") REFERENCES "${target}"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notification"`);
    await queryRunner.query(`DROP TYPE "public"."notification_status"`);
    await queryRunner.query(`DROP TYPE "public"."notification_channel"`);
    await queryRunner.query(`DROP TABLE "follow_up_report"`);
    await queryRunner.query(`DROP TABLE "follow_up_round"`);
    await queryRunner.query(`DROP TYPE "public"."follow_up_status"`);
    await queryRunner.query(`DELETE FROM "sync_run" WHERE "kind" = 'FOLLOW_UP'`);
    await queryRunner.query(`ALTER TYPE "public"."sync_kind" RENAME TO "sync_kind_old"`);
    await queryRunner.query(`CREATE TYPE "public"."sync_kind" AS ENUM('REGISTRY', 'PRIO', 'HANDOVER_SWEEP')`);
    await queryRunner.query(
      `ALTER TABLE "sync_run" ALTER COLUMN "kind" TYPE "public"."sync_kind" USING "kind"::text::"public"."sync_kind"`,
    );
    await queryRunner.query(`DROP TYPE "public"."sync_kind_old"`);
  }
}
