import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Direct handovers without an endpoint were marked DELIVERED "via feed", though nobody could read
 * them: they go back to waiting for a recipient (a separate migration, as a new enum value can be
 * used only once the transaction that added it has committed).
 */
export class DirectHandoversAwaitRecipient1765020000001 implements MigrationInterface {
  name = 'DirectHandoversAwaitRecipient1765020000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE "handover" SET "status" = 'AWAITING_RECIPIENT', "delivered_at" = NULL, "delivery_seq" = NULL
      WHERE "recipient_type" = 'MUNICIPALITY' AND "status" IN ('READY', 'DELIVERED')
        AND "direct_recipient"->>'endpointUrl' IS NULL
    `);
  }

  public async down(): Promise<void> {
    // Nothing to undo: those handovers were never delivered to anyone.
  }
}
