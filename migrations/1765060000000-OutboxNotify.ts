import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every statement that writes outbox messages notifies channel `outbox_message` when its
 * transaction commits, so the relay wakes at once instead of at its next poll. A statement-level
 * trigger sends one NOTIFY however many rows the statement wrote (PostgreSQL folds identical ones
 * within a transaction).
 */
export class OutboxNotify1765060000000 implements MigrationInterface {
  name = 'OutboxNotify1765060000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION "outbox_message_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox_message', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "outbox_message_notify" AFTER INSERT ON "outbox_message"
      FOR EACH STATEMENT EXECUTE FUNCTION "outbox_message_notify"()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "outbox_message_notify" ON "outbox_message"`);
    await queryRunner.query(`DROP FUNCTION "outbox_message_notify"()`);
  }
}
