import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every handover row is written twice on its way (created, then delivered), and each write of a
 * row that is not a HOT update inserts into every index of the table. Three of them cost that
 * for nothing: (status) repeats the leading column of (status, updated_at), and the indexes that
 * serve the foreign keys superseded_by_id and recipient_municipality_code hold mostly NULLs, which
 * no lookup and no foreign-key check ever reads (an equality implies NOT NULL, so the planner
 * takes the partial index for both). The table is small (areas × associations), so plain
 * CREATE INDEX holds writes off for moments only.
 */
export class LeanerHandoverIndexes1765400000000 implements MigrationInterface {
  name = 'LeanerHandoverIndexes1765400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_handover_status"`);
    await queryRunner.query(`DROP INDEX "public"."idx_handover_superseded_by_id"`);
    await queryRunner.query(
      `CREATE INDEX "idx_handover_superseded_by_id_partial" ON "handover" ("superseded_by_id") WHERE superseded_by_id IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_handover_recipient_municipality_code"`);
    await queryRunner.query(
      `CREATE INDEX "idx_handover_recipient_municipality_code_partial" ON "handover" ("recipient_municipality_code") WHERE recipient_municipality_code IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_handover_recipient_municipality_code_partial"`);
    await queryRunner.query(
      `CREATE INDEX "idx_handover_recipient_municipality_code" ON "handover" ("recipient_municipality_code")`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_handover_superseded_by_id_partial"`);
    await queryRunner.query(`CREATE INDEX "idx_handover_superseded_by_id" ON "handover" ("superseded_by_id")`);
    await queryRunner.query(`CREATE INDEX "idx_handover_status" ON "handover" ("status")`);
  }
}
