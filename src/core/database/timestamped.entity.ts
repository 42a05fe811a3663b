import { CreateDateColumn, UpdateDateColumn } from 'typeorm';

/** Every table records when a row was created and last changed (millisecond precision, so a
 * timestamp survives the round trip through JavaScript and can key a page cursor). */
export abstract class TimestampedEntity {
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
