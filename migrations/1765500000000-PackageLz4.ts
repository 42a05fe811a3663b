import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every handover's package (JSON of 4 to 5 kB) is compressed as it is written. lz4 does that in
 * about three quarters of pglz's time at about the same size (3 000 packages on this machine:
 * 264–289 ms against 338–425 ms, tables 9.7 MB against 9.4 MB). SET COMPRESSION applies to values
 * written from now on; rows already written keep pglz and stay readable, so the table is not
 * rewritten and the lock lasts a moment. Needs a server built with lz4 (PostgreSQL 14 or later,
 * as Debian's, the official images' and the managed services' are).
 */
export class PackageLz41765500000000 implements MigrationInterface {
  name = 'PackageLz41765500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "handover" ALTER COLUMN "package" SET COMPRESSION lz4`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "handover" ALTER COLUMN "package" SET COMPRESSION pglz`);
  }
}
