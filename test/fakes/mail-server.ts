import { simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A mail as the fake received it: envelope, parsed headers and text. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  text: string;
  headers: Record<string, string>;
}

export interface MailServer {
  /** smtp://127.0.0.1:PORT, for SMTP_URL. */
  url: string;
  mails(): ReceivedMail[];
  /** Answer the next `count` messages with a temporary failure (451). */
  failNext(count: number): void;
  /** Hold every DATA answer until released; a client that goes away meanwhile delivers nothing (and no longer waits). */
  hold(): { release(): void; waiting(): number };
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 (smtp-server), for the demo and the tests. It records a mail only
 * once it has accepted it, as a real server would, and can fail or stall on request.
 */
export async function startMailServer(): Promise<MailServer> {
  const received: ReceivedMail[] = [];
  let failures = 0;
  let held: { session: string; resolve: () => void }[] | null = null;
  const gone = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          if (failures > 0) {
            failures--;
            return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
          }
          if (held) await new Promise<void>((resolve) => held?.push({ session: session.id, resolve }));
          if (gone.has(session.id)) return; // the client went away before we answered: not delivered
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: mail.subject ?? '',
            messageId: mail.messageId ?? '',
            text: mail.text ?? '',
            headers: Object.fromEntries(
              [...mail.headers.entries()].map(([key, value]) => [
                key,
                typeof value === 'string' ? value : JSON.stringify(value),
              ]),
            ),
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
    onClose(session) {
      gone.add(session.id);
      // A held client that went away is no longer waiting; its mail is never accepted.
      held?.filter((entry) => entry.session === session.id).forEach((entry) => entry.resolve());
      held = held && held.filter((entry) => entry.session !== session.id);
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails: () => [...received],
    failNext: (count) => (failures = count),
    hold: () => {
      held = [];
      return {
        release: () => {
          const waiting = held ?? [];
          held = null;
          waiting.forEach((entry) => entry.resolve());
        },
        waiting: () => held?.length ?? 0,
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
