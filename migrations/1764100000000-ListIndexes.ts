import { MigrationInterface, QueryRunner } from 'typeorm';

/** An index for every list's filter and order that lacked one. */
export class ListIndexes1764100000000 implements MigrationInterface {
  name = 'ListIndexes1764100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_area_kur_phase" ON "area" ("kur_phase")`);
    await queryRunner.query(`CREATE INDEX "idx_plan_created_at_id" ON "plan" ("created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "idx_handover_created_at_id" ON "handover" ("created_at", "id")`);
    await queryRunner.query(
      `CREATE INDEX "idx_resolution_case_created_at_id" ON "resolution_case" ("created_at", "id")`,
    );
    await queryRunner.query(`CREATE INDEX "idx_sync_run_status_created_at" ON "sync_run" ("status", "created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_sync_run_status_created_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_resolution_case_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_handover_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_plan_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_area_kur_phase"`);
  }
}
