import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A plan's follow-up gets a structured interval in whole months beside its free text. Revisions are
 * immutable jsonb, so nothing is rewritten: revisions written before this simply have no interval
 * (readiness warns about it). The check keeps every value absent, null or an integer from 1 to 24.
 */
export class FollowUpInterval1765200000000 implements MigrationInterface {
  name = 'FollowUpInterval1765200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "plan_revision" ADD CONSTRAINT "chk_plan_revision_follow_up_interval" CHECK (coalesce(jsonb_typeof(content #> '{followUp,intervalMonths}'), 'null') = 'null' OR (content #>> '{followUp,intervalMonths}') ~ '^([1-9]|1[0-9]|2[0-4])$')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "plan_revision" DROP CONSTRAINT "chk_plan_revision_follow_up_interval"`);
  }
}
