import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** A stable id, so a retried send can be recognised downstream. */
  messageId?: string;
}

export interface CapturedMail {
  id: string;
  to: string;
  subject: string;
  date: string;
  text: string;
}

export interface MailService {
  send(message: MailMessage): Promise<{ messageId: string }>;
  /** Present only in development capture mode (no SMTP_URL). */
  captured?: { list(): Promise<CapturedMail[]>; read(id: string): Promise<CapturedMail | undefined> };
  close(): void;
}

export interface MailOptions {
  smtpUrl?: string | undefined;
  from: string;
  captureDir: string;
}

const CAPTURED_ID = /^[0-9a-f-]{36}$/;

/** nodemailer behind one interface: SMTP when configured, otherwise messages are kept as files. */
export function mailService(options: MailOptions): MailService {
  if (options.smtpUrl) {
    // Timeouts well inside the outbox's five-minute lease, so a hung server cannot outlive a claim.
    const transport = nodemailer.createTransport({
      url: options.smtpUrl,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    });
    return {
      async send(message) {
        const info = await transport.sendMail({ from: options.from, ...message });
        return { messageId: info.messageId };
      },
      close: () => transport.close(),
    };
  }
  return captureService(options);
}

function captureService(options: MailOptions): MailService {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const dir = options.captureDir;
  const read = async (id: string): Promise<CapturedMail | undefined> => {
    if (!CAPTURED_ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8')) as CapturedMail;
    } catch {
      return undefined;
    }
  };
  return {
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message });
      const id = randomUUID();
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, `${id}.eml`), info.message as Buffer);
      const record: CapturedMail = {
        id,
        to: message.to,
        subject: message.subject,
        date: new Date().toISOString(),
        text: message.text,
      };
      await writeFile(path.join(dir, `${id}.json`), JSON.stringify(record));
      return { messageId: info.messageId };
    },
    captured: {
      async list() {
        const names = await readdir(dir).catch(() => [] as string[]);
        const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
        const records = await Promise.all(ids.map(read));
        return records.filter((r): r is CapturedMail => r !== undefined).sort((a, b) => b.date.localeCompare(a.date));
      },
      read,
    },
    close: () => transport.close(),
  };
}
