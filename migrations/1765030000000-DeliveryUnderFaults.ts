import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery under faults: attempts are numbered per delivery round from the recorded rows; a READY
 * handover knows when its next attempt is due; an area knows which revision routing has made, so
 * the sweep finds what is due without a query per area.
 */
export class DeliveryUnderFaults1765030000000 implements MigrationInterface {
  name = 'DeliveryUnderFaults1765030000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "delivery_attempt" ADD "delivery_round" integer NOT NULL DEFAULT 0`);
    // Until now each round's job numbered its attempts from 1, so every attempt 1 began a round.
    await queryRunner.query(`
      UPDATE "delivery_attempt" AS attempt SET "delivery_round" = numbered.round
      FROM (
        SELECT id, count(*) FILTER (WHERE attempt_number = 1)
                 OVER (PARTITION BY handover_id ORDER BY created_at, attempt_number ROWS UNBOUNDED PRECEDING) - 1 AS round
        FROM "delivery_attempt"
      ) AS numbered
      WHERE numbered.id = attempt.id AND numbered.round > 0`);
    await queryRunner.query(`DROP INDEX "public"."idx_delivery_attempt_handover_id_attempt_number"`);
    await queryRunner.query(
      `CREATE INDEX "idx_delivery_attempt_handover_id_delivery_round_attempt_number" ON "delivery_attempt" ("handover_id", "delivery_round", "attempt_number")`,
    );
    await queryRunner.query(
      `ALTER TABLE "handover" ADD "next_attempt_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
    await queryRunner.query(`ALTER TABLE "area" ADD "routed_revision" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      UPDATE "area" SET "routed_revision" = routed.revision
      FROM (SELECT area_id, max(revision) AS revision FROM "handover" GROUP BY area_id) AS routed
      WHERE routed.area_id = "area".id`);
    await queryRunner.query(
      `CREATE INDEX "idx_area_id_partial" ON "area" ("id") WHERE status = 'FINISHED' AND routed_revision < handover_revision`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_area_id_partial"`);
    await queryRunner.query(`ALTER TABLE "area" DROP COLUMN "routed_revision"`);
    await queryRunner.query(`ALTER TABLE "handover" DROP COLUMN "next_attempt_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_delivery_attempt_handover_id_delivery_round_attempt_number"`);
    await queryRunner.query(
      `CREATE INDEX "idx_delivery_attempt_handover_id_attempt_number" ON "delivery_attempt" ("handover_id", "attempt_number")`,
    );
    await queryRunner.query(`ALTER TABLE "delivery_attempt" DROP COLUMN "delivery_round"`);
  }
}
