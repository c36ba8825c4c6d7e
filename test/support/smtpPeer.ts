import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  to: string[];
  raw: string;
}

/**
 * A real SMTP server on loopback for tests. `answer` decides what it says to each message:
 * accept, a temporary 4xx, or a permanent 5xx. stop()/start() take it down and up on the same port.
 */
export class SmtpPeer {
  received: Received[] = [];
  answer: 'accept' | 'temporary' | 'permanent' = 'accept';
  port = 0;
  private server: SMTPServer | undefined;

  async start(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          if (this.answer === 'temporary') {
            return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          }
          if (this.answer === 'permanent') {
            return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
          }
          this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }
}
