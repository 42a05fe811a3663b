import { Global, Module } from '@nestjs/common';
import { OutboxService } from './outbox.service';

/** The transactional outbox: features record work here in their own transactions. */
@Global()
@Module({ providers: [OutboxService], exports: [OutboxService] })
export class OutboxModule {}
