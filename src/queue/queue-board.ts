import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { FastifyInstance } from 'fastify';
import { callerOf, forbidden, unauthorised } from '../auth/auth.guard';
import { Role } from '../auth/principal';
import { TokenService } from '../auth/token.service';
import { ProblemException } from '../core/http/problem';
import { sendProblem } from '../core/http/problem.filter';
import { SessionAuthService } from '../people/session-auth.service';
import { QueueName } from './job-catalogue';

export const QUEUE_BOARD_PATH = '/admin/queues';

/** Bull Board over every queue at /admin/queues, for administrators only (bearer token, or a signed-in administrator's session cookie). */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
    serverAdapter: board,
  });
  const tokens = app.get(TokenService);
  const sessions = app.get(SessionAuthService);
  // The hook lives in the board's own (encapsulated) plugin scope, so it runs for every request the
  // router sends to the board, however its path was spelt, and for nothing else.
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request, reply) => {
      try {
        const caller = await callerOf(request, tokens, sessions);
        if (caller?.role === Role.ADMIN) return;
        throw caller ? forbidden(caller.role) : unauthorised();
      } catch (error) {
        if (!(error instanceof ProblemException)) throw error;
        sendProblem(reply, error.problem, request);
        return reply;
      }
    });
    await scope.register(board.registerPlugin() as never, { prefix: QUEUE_BOARD_PATH });
  });
}
