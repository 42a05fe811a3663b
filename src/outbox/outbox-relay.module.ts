import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { OutboxListener } from './outbox-listener';
import { OutboxRelay } from './outbox-relay';

/** Worker side: relays the outbox into BullMQ, woken by NOTIFY and polling as the fallback. */
@Module({ imports: [QueueModule], providers: [OutboxRelay, OutboxListener], exports: [OutboxRelay] })
export class OutboxRelayModule {}
