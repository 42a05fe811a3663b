import { MigrationInterface, QueryRunner } from 'typeorm';

/** People who sign in (issuer, subject), the roles granted to them and their server-side sessions. */
export class SignIn1765070000000 implements MigrationInterface {
  name = 'SignIn1765070000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."granted_role" AS ENUM('ADMIN', 'COORDINATOR')`);
    await queryRunner.query(`
      CREATE TABLE "app_user" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "issuer" text,
        "subject" text,
        "email" text NOT NULL,
        "name" text,
        "last_signed_in_at" TIMESTAMP(3) WITH TIME ZONE,
        CONSTRAINT "pk_app_user" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`CREATE UNIQUE INDEX "idx_app_user_issuer_subject" ON "app_user" ("issuer", "subject")`);
    await queryRunner.query(`CREATE INDEX "idx_app_user_email" ON "app_user" ("email")`);
    await queryRunner.query(`CREATE INDEX "idx_app_user_created_at_id" ON "app_user" ("created_at", "id")`);
    await queryRunner.query(`
      CREATE TABLE "role_grant" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "role" "public"."granted_role" NOT NULL,
        "area_id" uuid,
        "granted_by" text NOT NULL,
        CONSTRAINT "pk_role_grant" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`CREATE INDEX "idx_role_grant_user_id" ON "role_grant" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "idx_role_grant_area_id" ON "role_grant" ("area_id")`);
    await queryRunner.query(
      `ALTER TABLE "role_grant" ADD CONSTRAINT "fk_role_grant_user_id" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_grant" ADD CONSTRAINT "fk_role_grant_area_id" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`
      CREATE TABLE "user_session" (
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" text NOT NULL,
        "user_id" uuid NOT NULL,
        "started_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "last_seen_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "csrf_secret" text NOT NULL,
        "id_token" text,
        CONSTRAINT "pk_user_session" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`CREATE INDEX "idx_user_session_user_id" ON "user_session" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "idx_user_session_last_seen_at" ON "user_session" ("last_seen_at")`);
    await queryRunner.query(
      `ALTER TABLE "user_session" ADD CONSTRAINT "fk_user_session_user_id" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "user_session"`);
    await queryRunner.query(`DROP TABLE "role_grant"`);
    await queryRunner.query(`DROP TABLE "app_user"`);
    await queryRunner.query(`DROP TYPE "public"."granted_role"`);
  }
}
