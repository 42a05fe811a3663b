import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { Role } from '../auth/principal';
import { TokenService } from '../auth/token.service';
import { problemType } from '../core/http/problem';
import { sendProblem } from '../core/http/problem.filter';
import { QueueName } from './job-catalogue';

export const QUEUE_BOARD_PATH = '/admin/queues';

/** Bull Board over every queue at /admin/queues, for administrators only (bearer token). */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
    serverAdapter: board,
  });
  const tokens = app.get(TokenService);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(QUEUE_BOARD_PATH)) return;
    const match = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '');
    const caller = match ? await tokens.verify(match[1]) : null;
    if (caller?.role === Role.ADMIN) return;
    const status = caller ? 403 : 401;
    sendProblem(
      reply,
      {
        type: problemType(caller ? 'forbidden' : 'unauthorised'),
        title: caller ? 'Forbidden' : 'Unauthorized',
        status,
        detail: 'The queue board is for administrators',
      },
      request,
    );
    return reply;
  });
  await app.register(board.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
}
