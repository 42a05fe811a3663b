import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { OutboxRelay } from './outbox-relay';

/** Worker side: relays the outbox into BullMQ. */
@Module({ imports: [QueueModule], providers: [OutboxRelay], exports: [OutboxRelay] })
export class OutboxRelayModule {}
