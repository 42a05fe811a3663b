import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reference data (counties, municipalities), associations with dated memberships, the KUR domain, audit. */
export class Initial1763800000000 implements MigrationInterface {
  name = 'Initial1763800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "county" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "code" character(2) NOT NULL,
        "name" text NOT NULL,
        "region_name" text NOT NULL,
        CONSTRAINT "pk_county" PRIMARY KEY ("code")
      )
    `);
    await queryRunner.query(`
      CREATE TABLE "municipality" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "code" character(4) NOT NULL,
        "name" text NOT NULL,
        "county_code" character(2) NOT NULL,
        CONSTRAINT "pk_municipality" PRIMARY KEY ("code")
      )
    `);
    await queryRunner.query(`CREATE INDEX "idx_municipality_county_code" ON "municipality" ("county_code")`);
    await queryRunner.query(`
      CREATE TABLE "area_municipality" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "area_id" uuid NOT NULL,
        "municipality_code" character(4) NOT NULL,
        CONSTRAINT "pk_area_municipality" PRIMARY KEY ("area_id",
        "municipality_code")
      )
    `);
    await queryRunner.query(
      `CREATE INDEX "idx_area_municipality_municipality_code" ON "area_municipality" ("municipality_code")`,
    );
    await queryRunner.query(`CREATE TYPE "public"."kur_region" AS ENUM('NORD', 'SYD', 'VAST', 'MITT', 'STOCKHOLM')`);
    await queryRunner.query(`CREATE TYPE "public"."kur_phase" AS ENUM('KUR1', 'KUR2')`);
    await queryRunner.query(
      `CREATE TYPE "public"."area_status" AS ENUM('DRAFT', 'GRANTED', 'FINISHED', 'REJECTED', 'WITHDRAWN')`,
    );
    await queryRunner.query(`
      CREATE TABLE "area" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "kur_region" "public"."kur_region" NOT NULL,
        "kur_phase" "public"."kur_phase" NOT NULL,
        "granted_sek" integer,
        "allocated_sek" integer NOT NULL DEFAULT '0',
        "status" "public"."area_status" NOT NULL DEFAULT 'DRAFT',
        "principals" jsonb NOT NULL DEFAULT '[]',
        "summary" text,
        "notes" text,
        "version" integer NOT NULL,
        CONSTRAINT "pk_area" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`CREATE INDEX "idx_area_kur_region" ON "area" ("kur_region")`);
    await queryRunner.query(`CREATE INDEX "idx_area_status" ON "area" ("status")`);
    await queryRunner.query(`CREATE INDEX "idx_area_name_id" ON "area" ("name", "id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "idx_area_name_kur_phase" ON "area" ("name", "kur_phase")`);
    await queryRunner.query(`CREATE TYPE "public"."activity_type" AS ENUM('KNOWLEDGE_INITIATIVE', 'COOPERATION_PLAN')`);
    await queryRunner.query(
      `CREATE TYPE "public"."activity_status" AS ENUM('PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."principal" AS ENUM('FK', 'AF', 'MUNICIPALITY', 'REGION')`);
    await queryRunner.query(`CREATE TYPE "public"."hired_role" AS ENUM('LECTURER', 'MODERATOR', 'PROCESS_LEADER')`);
    await queryRunner.query(`
      CREATE TABLE "activity" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "area_id" uuid NOT NULL,
        "type" "public"."activity_type" NOT NULL,
        "title" text NOT NULL,
        "themes" text array NOT NULL DEFAULT '{}',
        "status" "public"."activity_status" NOT NULL DEFAULT 'PLANNED',
        "planning_principals" "public"."principal" array NOT NULL DEFAULT '{}',
        "period_start" date,
        "period_end" date,
        "planned_participants" integer,
        "participants" jsonb NOT NULL DEFAULT '[]',
        "sessions" jsonb NOT NULL DEFAULT '[]',
        "hired_roles" "public"."hired_role" array NOT NULL DEFAULT '{}',
        "user_involvement" jsonb NOT NULL,
        "uses_prio_inventory" boolean NOT NULL DEFAULT false,
        "has_agreed_cooperation_plan" boolean NOT NULL DEFAULT false,
        "granted_sek" integer NOT NULL DEFAULT '0',
        "spent_sek" integer NOT NULL DEFAULT '0',
        "repaid_sek" integer NOT NULL DEFAULT '0',
        "version" integer NOT NULL,
        CONSTRAINT "pk_activity" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`CREATE INDEX "idx_activity_type" ON "activity" ("type")`);
    await queryRunner.query(`CREATE INDEX "idx_activity_status" ON "activity" ("status")`);
    await queryRunner.query(`CREATE INDEX "idx_activity_created_at_id" ON "activity" ("created_at", "id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "idx_activity_area_id_title" ON "activity" ("area_id", "title")`);
    await queryRunner.query(`
      CREATE TABLE "coordination_association" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "external_id" text NOT NULL,
        "name" text NOT NULL,
        "county_code" character(2) NOT NULL,
        "chief_name" text,
        "chief_email" text,
        "endpoint_url" text,
        "endpoint_secret_encrypted" text,
        "endpoint_disabled_at" TIMESTAMP WITH TIME ZONE,
        "active" boolean NOT NULL DEFAULT true,
        "version" integer NOT NULL,
        CONSTRAINT "pk_coordination_association" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_coordination_association_external_id" ON "coordination_association" ("external_id")`,
    );
    await queryRunner.query(`CREATE INDEX "idx_coordination_association_name" ON "coordination_association" ("name")`);
    await queryRunner.query(
      `CREATE INDEX "idx_coordination_association_county_code" ON "coordination_association" ("county_code")`,
    );
    await queryRunner.query(`
      CREATE TABLE "membership" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "association_id" uuid NOT NULL,
        "municipality_code" character(4) NOT NULL,
        "valid_from" date NOT NULL,
        "valid_to" date,
        CONSTRAINT "pk_membership" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`CREATE INDEX "idx_membership_association_id" ON "membership" ("association_id")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_membership_association_id_municipality_code_partial" ON "membership" ("association_id", "municipality_code") WHERE valid_to IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_membership_municipality_code_valid_from" ON "membership" ("municipality_code", "valid_from")`,
    );
    await queryRunner.query(`
      CREATE TABLE "audit_event" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "actor" text NOT NULL,
        "action" text NOT NULL,
        "entity_type" text NOT NULL,
        "entity_id" text NOT NULL,
        "changes" jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT "pk_audit_event" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`CREATE INDEX "idx_audit_event_created_at_id" ON "audit_event" ("created_at", "id")`);
    await queryRunner.query(
      `CREATE INDEX "idx_audit_event_entity_type_entity_id_created_at" ON "audit_event" ("entity_type", "entity_id", "created_at")`,
    );
    await queryRunner.query(`CREATE TYPE "public"."plan_kind" AS ENUM('COOPERATION', 'COMPETENCE_DEVELOPMENT')`);
    await queryRunner.query(`CREATE TYPE "public"."plan_status" AS ENUM('DRAFT', 'AGREED')`);
    await queryRunner.query(`
      CREATE TABLE "plan" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "activity_id" uuid NOT NULL,
        "kind" "public"."plan_kind" NOT NULL,
        "status" "public"."plan_status" NOT NULL DEFAULT 'DRAFT',
        "latest_revision" integer NOT NULL,
        "agreed_revision" integer,
        "version" integer NOT NULL,
        CONSTRAINT "pk_plan" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(
      `CREATE INDEX "idx_plan_activity_id_created_at_id" ON "plan" ("activity_id", "created_at", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "plan_revision" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "plan_id" uuid NOT NULL,
        "revision" integer NOT NULL,
        "content" jsonb NOT NULL,
        "created_by" text NOT NULL,
        CONSTRAINT "pk_plan_revision" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_plan_revision_plan_id_revision" ON "plan_revision" ("plan_id", "revision")`,
    );
    await queryRunner.query(`CREATE TYPE "public"."management_level" AS ENUM('TOP', 'MIDDLE', 'OPERATIONAL')`);
    await queryRunner.query(`
      CREATE TABLE "plan_sign_off" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "plan_revision_id" uuid NOT NULL,
        "principal" "public"."principal" NOT NULL,
        "signer_name" text NOT NULL,
        "management_level" "public"."management_level" NOT NULL,
        "signed_on" date NOT NULL,
        CONSTRAINT "pk_plan_sign_off" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_plan_sign_off_plan_revision_id_principal" ON "plan_sign_off" ("plan_revision_id", "principal")`,
    );
    await queryRunner.query(
      `ALTER TABLE "municipality" ADD CONSTRAINT "fk_municipality_county_code" FOREIGN KEY ("county_code") REFERENCES "county"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "area_municipality" ADD CONSTRAINT "fk_area_municipality_area_id" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "area_municipality" ADD CONSTRAINT "fk_area_municipality_municipality_code" FOREIGN KEY ("municipality_code") REFERENCES "municipality"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "activity" ADD CONSTRAINT "fk_activity_area_id" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "coordination_association" ADD CONSTRAINT "fk_coordination_association_county_code" FOREIGN KEY ("county_code") REFERENCES "county"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "membership" ADD CONSTRAINT "fk_membership_association_id" FOREIGN KEY ("association_id") REFERENCES "coordination_association"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "membership" ADD CONSTRAINT "fk_membership_municipality_code" FOREIGN KEY ("municipality_code") REFERENCES "municipality"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "plan" ADD CONSTRAINT "fk_plan_activity_id" FOREIGN KEY ("activity_id") REFERENCES "activity"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "plan_revision" ADD CONSTRAINT "fk_plan_revision_plan_id" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "plan_sign_off" ADD CONSTRAINT "fk_plan_sign_off_plan_revision_id" FOREIGN KEY ("plan_revision_id") REFERENCES "plan_revision"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "plan_sign_off" DROP CONSTRAINT "fk_plan_sign_off_plan_revision_id"`);
    await queryRunner.query(`ALTER TABLE "plan_revision" DROP CONSTRAINT "fk_plan_revision_plan_id"`);
    await queryRunner.query(`ALTER TABLE "plan" DROP CONSTRAINT "fk_plan_activity_id"`);
    await queryRunner.query(`ALTER TABLE "membership" DROP CONSTRAINT "fk_membership_municipality_code"`);
    await queryRunner.query(`ALTER TABLE "membership" DROP CONSTRAINT "fk_membership_association_id"`);
    await queryRunner.query(
      `ALTER TABLE "coordination_association" DROP CONSTRAINT "fk_coordination_association_county_code"`,
    );
    await queryRunner.query(`ALTER TABLE "activity" DROP CONSTRAINT "fk_activity_area_id"`);
    await queryRunner.query(`ALTER TABLE "area_municipality" DROP CONSTRAINT "fk_area_municipality_municipality_code"`);
    await queryRunner.query(`ALTER TABLE "area_municipality" DROP CONSTRAINT "fk_area_municipality_area_id"`);
    await queryRunner.query(`ALTER TABLE "municipality" DROP CONSTRAINT "fk_municipality_county_code"`);
    await queryRunner.query(`DROP INDEX "public"."idx_plan_sign_off_plan_revision_id_principal"`);
    await queryRunner.query(`DROP TABLE "plan_sign_off"`);
    await queryRunner.query(`DROP TYPE "public"."management_level"`);
    await queryRunner.query(`DROP INDEX "public"."idx_plan_revision_plan_id_revision"`);
    await queryRunner.query(`DROP TABLE "plan_revision"`);
    await queryRunner.query(`DROP INDEX "public"."idx_plan_activity_id_created_at_id"`);
    await queryRunner.query(`DROP TABLE "plan"`);
    await queryRunner.query(`DROP TYPE "public"."plan_status"`);
    await queryRunner.query(`DROP TYPE "public"."plan_kind"`);
    await queryRunner.query(`DROP INDEX "public"."idx_audit_event_entity_type_entity_id_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_audit_event_created_at_id"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP INDEX "public"."idx_membership_municipality_code_valid_from"`);
    await queryRunner.query(`DROP INDEX "public"."idx_membership_association_id_municipality_code_partial"`);
    await queryRunner.query(`DROP INDEX "public"."idx_membership_association_id"`);
    await queryRunner.query(`DROP TABLE "membership"`);
    await queryRunner.query(`DROP INDEX "public"."idx_coordination_association_county_code"`);
    await queryRunner.query(`DROP INDEX "public"."idx_coordination_association_name"`);
    await queryRunner.query(`DROP INDEX "public"."idx_coordination_association_external_id"`);
    await queryRunner.query(`DROP TABLE "coordination_association"`);
    await queryRunner.query(`DROP INDEX "public"."idx_activity_area_id_title"`);
    await queryRunner.query(`DROP INDEX "public"."idx_activity_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_activity_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_activity_type"`);
    await queryRunner.query(`DROP TABLE "activity"`);
    await queryRunner.query(`DROP TYPE "public"."hired_role"`);
    await queryRunner.query(`DROP TYPE "public"."principal"`);
    await queryRunner.query(`DROP TYPE "public"."activity_status"`);
    await queryRunner.query(`DROP TYPE "public"."activity_type"`);
    await queryRunner.query(`DROP INDEX "public"."idx_area_name_kur_phase"`);
    await queryRunner.query(`DROP INDEX "public"."idx_area_name_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_area_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_area_kur_region"`);
    await queryRunner.query(`DROP TABLE "area"`);
    await queryRunner.query(`DROP TYPE "public"."area_status"`);
    await queryRunner.query(`DROP TYPE "public"."kur_phase"`);
    await queryRunner.query(`DROP TYPE "public"."kur_region"`);
    await queryRunner.query(`DROP INDEX "public"."idx_area_municipality_municipality_code"`);
    await queryRunner.query(`DROP TABLE "area_municipality"`);
    await queryRunner.query(`DROP INDEX "public"."idx_municipality_county_code"`);
    await queryRunner.query(`DROP TABLE "municipality"`);
    await queryRunner.query(`DROP TABLE "county"`);
  }
}
