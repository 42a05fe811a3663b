import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An attempt's number is unique within its handover's delivery round. Recording an attempt is one
 * statement that counts the round's attempts; two recordings racing for the same handover now
 * collide on this index (and the loser counts again) instead of sharing a number. Numbers that
 * earlier races doubled are renumbered in the order the attempts were made.
 */
export class UniqueAttemptNumbers1765300000000 implements MigrationInterface {
  name = 'UniqueAttemptNumbers1765300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE "delivery_attempt" SET "attempt_number" = numbered.number
        FROM (SELECT id, row_number() OVER (PARTITION BY handover_id, delivery_round ORDER BY created_at, attempt_number, id) AS number
                FROM "delivery_attempt") numbered
       WHERE numbered.id = "delivery_attempt".id AND numbered.number <> "delivery_attempt"."attempt_number"`);
    await queryRunner.query(`DROP INDEX "idx_delivery_attempt_handover_id_delivery_round_attempt_number"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_delivery_attempt_handover_id_delivery_round_attempt_number" ON "delivery_attempt" ("handover_id", "delivery_round", "attempt_number")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_delivery_attempt_handover_id_delivery_round_attempt_number"`);
    await queryRunner.query(
      `CREATE INDEX "idx_delivery_attempt_handover_id_delivery_round_attempt_number" ON "delivery_attempt" ("handover_id", "delivery_round", "attempt_number")`,
    );
  }
}
