import { MigrationInterface, QueryRunner } from 'typeorm';

/** PRIO inventories, the outbox, handovers with their delivery attempts, resolution cases. */
export class HandoverPipeline1763900000000 implements MigrationInterface {
  name = 'HandoverPipeline1763900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."recipient_type" AS ENUM('ASSOCIATION', 'MUNICIPALITY')`);
    await queryRunner.query(
      `CREATE TYPE "public"."handover_status" AS ENUM('PENDING_RESOLUTION', 'READY', 'DELIVERED', 'ACCEPTED', 'DECLINED', 'FAILED', 'WAIVED')`,
    );
    await queryRunner.query(`
      CREATE TABLE "handover" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "area_id" uuid NOT NULL,
        "revision" integer NOT NULL,
        "routing_key" text NOT NULL,
        "recipient_type" "public"."recipient_type",
        "association_id" uuid,
        "recipient_municipality_code" character(4),
        "direct_recipient" jsonb,
        "municipality_codes" character(4) array NOT NULL,
        "status" "public"."handover_status" NOT NULL,
        "delivery_id" text NOT NULL,
        "delivery_round" integer NOT NULL DEFAULT '0',
        "delivery_seq" bigint,
        "package" jsonb,
        "delivered_at" TIMESTAMP(3) WITH TIME ZONE,
        "decision_reason" text,
        "decided_at" TIMESTAMP(3) WITH TIME ZONE,
        "last_error" text,
        "superseded_by_id" uuid,
        "version" integer NOT NULL,
        CONSTRAINT "pk_handover" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(
      `CREATE INDEX "idx_handover_recipient_municipality_code" ON "handover" ("recipient_municipality_code")`,
    );
    await queryRunner.query(`CREATE INDEX "idx_handover_status" ON "handover" ("status")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "idx_handover_delivery_id" ON "handover" ("delivery_id")`);
    await queryRunner.query(`CREATE INDEX "idx_handover_superseded_by_id" ON "handover" ("superseded_by_id")`);
    await queryRunner.query(`CREATE INDEX "idx_handover_status_updated_at" ON "handover" ("status", "updated_at")`);
    await queryRunner.query(
      `CREATE INDEX "idx_handover_association_id_delivery_seq" ON "handover" ("association_id", "delivery_seq")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_handover_area_id_revision_routing_key" ON "handover" ("area_id", "revision", "routing_key")`,
    );
    await queryRunner.query(`
      CREATE TABLE "delivery_attempt" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "handover_id" uuid NOT NULL,
        "attempt_number" integer NOT NULL,
        "url" text NOT NULL,
        "http_status" integer,
        "error_class" text,
        "latency_ms" integer NOT NULL,
        "response_excerpt" text,
        "outcome" text NOT NULL,
        CONSTRAINT "pk_delivery_attempt" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(
      `CREATE INDEX "idx_delivery_attempt_handover_id_attempt_number" ON "delivery_attempt" ("handover_id", "attempt_number")`,
    );
    await queryRunner.query(`
      CREATE TABLE "outbox_message" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "job_name" text NOT NULL,
        "job_id" text NOT NULL,
        "payload" jsonb NOT NULL,
        "relayed_at" TIMESTAMP(3) WITH TIME ZONE,
        CONSTRAINT "pk_outbox_message" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`CREATE UNIQUE INDEX "idx_outbox_message_job_id" ON "outbox_message" ("job_id")`);
    await queryRunner.query(
      `CREATE INDEX "idx_outbox_message_relayed_at_created_at" ON "outbox_message" ("relayed_at", "created_at")`,
    );
    await queryRunner.query(`
      CREATE TABLE "prio_inventory" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "municipality_code" character(4) NOT NULL,
        "year" integer NOT NULL,
        "inventoried_persons" integer NOT NULL,
        "unmet_housing_needs" integer NOT NULL,
        "unmet_occupation_needs" integer NOT NULL,
        "analysis_date" date NOT NULL,
        "employment_strategy_agreed" boolean NOT NULL,
        "source_revision" integer NOT NULL,
        "source_updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "synced_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        CONSTRAINT "pk_prio_inventory" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_prio_inventory_municipality_code_year" ON "prio_inventory" ("municipality_code", "year")`,
    );
    await queryRunner.query(`CREATE TYPE "public"."resolution_case_reason" AS ENUM('NO_ASSOCIATION', 'DECLINED')`);
    await queryRunner.query(`CREATE TYPE "public"."resolution_case_status" AS ENUM('OPEN', 'RESOLVED')`);
    await queryRunner.query(
      `CREATE TYPE "public"."resolution" AS ENUM('ASSIGN_ASSOCIATION', 'DIRECT_TO_MUNICIPALITY', 'WAIVED')`,
    );
    await queryRunner.query(`
      CREATE TABLE "resolution_case" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "handover_id" uuid NOT NULL,
        "municipality_code" character(4) NOT NULL,
        "county_code" character(2) NOT NULL,
        "reason" "public"."resolution_case_reason" NOT NULL,
        "reason_detail" text,
        "status" "public"."resolution_case_status" NOT NULL DEFAULT 'OPEN',
        "resolution" "public"."resolution",
        "resolution_detail" jsonb,
        "resolved_by" text,
        "resolved_at" TIMESTAMP(3) WITH TIME ZONE,
        "version" integer NOT NULL,
        CONSTRAINT "pk_resolution_case" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_resolution_case_handover_id" ON "resolution_case" ("handover_id")`,
    );
    await queryRunner.query(`CREATE INDEX "idx_resolution_case_county_code" ON "resolution_case" ("county_code")`);
    await queryRunner.query(
      `CREATE INDEX "idx_resolution_case_municipality_code_status" ON "resolution_case" ("municipality_code", "status")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_resolution_case_status_created_at_id" ON "resolution_case" ("status", "created_at", "id")`,
    );
    await queryRunner.query(`ALTER TABLE "area" ADD "handover_revision" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "handover" ADD CONSTRAINT "fk_handover_area_id" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "handover" ADD CONSTRAINT "fk_handover_association_id" FOREIGN KEY ("association_id") REFERENCES "coordination_association"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "handover" ADD CONSTRAINT "fk_handover_recipient_municipality_code" FOREIGN KEY ("recipient_municipality_code") REFERENCES "municipality"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "handover" ADD CONSTRAINT "fk_handover_superseded_by_id" FOREIGN KEY ("superseded_by_id") REFERENCES "handover"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "delivery_attempt" ADD CONSTRAINT "fk_delivery_attempt_handover_id" FOREIGN KEY ("handover_id") REFERENCES "handover"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "prio_inventory" ADD CONSTRAINT "fk_prio_inventory_municipality_code" FOREIGN KEY ("municipality_code") REFERENCES "municipality"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "resolution_case" ADD CONSTRAINT "fk_resolution_case_handover_id" FOREIGN KEY ("handover_id") REFERENCES "handover"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "resolution_case" ADD CONSTRAINT "fk_resolution_case_municipality_code" FOREIGN KEY ("municipality_code") REFERENCES "municipality"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Feed order: each delivered handover takes the next number, so a cursor never skips one.
    await queryRunner.query(`CREATE SEQUENCE "handover_delivery_seq" AS bigint`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE "handover_delivery_seq"`);
    await queryRunner.query(`ALTER TABLE "resolution_case" DROP CONSTRAINT "fk_resolution_case_municipality_code"`);
    await queryRunner.query(`ALTER TABLE "resolution_case" DROP CONSTRAINT "fk_resolution_case_handover_id"`);
    await queryRunner.query(`ALTER TABLE "prio_inventory" DROP CONSTRAINT "fk_prio_inventory_municipality_code"`);
    await queryRunner.query(`ALTER TABLE "delivery_attempt" DROP CONSTRAINT "fk_delivery_attempt_handover_id"`);
    await queryRunner.query(`ALTER TABLE "handover" DROP CONSTRAINT "fk_handover_superseded_by_id"`);
    await queryRunner.query(`ALTER TABLE "handover" DROP CONSTRAINT "fk_handover_recipient_municipality_code"`);
    await queryRunner.query(`ALTER TABLE "handover" DROP CONSTRAINT "fk_handover_association_id"`);
    await queryRunner.query(`ALTER TABLE "handover" DROP CONSTRAINT "fk_handover_area_id"`);
    await queryRunner.query(`ALTER TABLE "area" DROP COLUMN "handover_revision"`);
    await queryRunner.query(`DROP INDEX "public"."idx_resolution_case_status_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_resolution_case_municipality_code_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_resolution_case_county_code"`);
    await queryRunner.query(`DROP INDEX "public"."idx_resolution_case_handover_id"`);
    await queryRunner.query(`DROP TABLE "resolution_case"`);
    await queryRunner.query(`DROP TYPE "public"."resolution"`);
    await queryRunner.query(`DROP TYPE "public"."resolution_case_status"`);
    await queryRunner.query(`DROP TYPE "public"."resolution_case_reason"`);
    await queryRunner.query(`DROP INDEX "public"."idx_prio_inventory_municipality_code_year"`);
    await queryRunner.query(`DROP TABLE "prio_inventory"`);
    await queryRunner.query(`DROP INDEX "public"."idx_outbox_message_relayed_at_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_outbox_message_job_id"`);
    await queryRunner.query(`DROP TABLE "outbox_message"`);
    await queryRunner.query(`DROP INDEX "public"."idx_delivery_attempt_handover_id_attempt_number"`);
    await queryRunner.query(`DROP TABLE "delivery_attempt"`);
    await queryRunner.query(`DROP INDEX "public"."idx_handover_area_id_revision_routing_key"`);
    await queryRunner.query(`DROP INDEX "public"."idx_handover_association_id_delivery_seq"`);
    await queryRunner.query(`DROP INDEX "public"."idx_handover_status_updated_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_handover_superseded_by_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_handover_delivery_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_handover_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_handover_recipient_municipality_code"`);
    await queryRunner.query(`DROP TABLE "handover"`);
    await queryRunner.query(`DROP TYPE "public"."handover_status"`);
    await queryRunner.query(`DROP TYPE "public"."recipient_type"`);
  }
}
