import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A resolution case names its area, so the administrators' queue can show which area's work
 * waits (and filter by it) without the resolutions module reading the handover table.
 */
export class ResolutionCaseArea1765330000000 implements MigrationInterface {
  name = 'ResolutionCaseArea1765330000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resolution_case" ADD "area_id" uuid`);
    await queryRunner.query(
      `UPDATE "resolution_case" rc SET "area_id" = h."area_id" FROM "handover" h WHERE h."id" = rc."handover_id"`,
    );
    await queryRunner.query(`ALTER TABLE "resolution_case" ALTER COLUMN "area_id" SET NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_resolution_case_area_id" ON "resolution_case" ("area_id")`);
    await queryRunner.query(
      `ALTER TABLE "resolution_case" ADD CONSTRAINT "fk_resolution_case_area_id" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resolution_case" DROP CONSTRAINT "fk_resolution_case_area_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_resolution_case_area_id"`);
    await queryRunner.query(`ALTER TABLE "resolution_case" DROP COLUMN "area_id"`);
  }
}
