/** What `keyturn login --device` shows while it waits: the page, the code, a QR code, and a countdown. */
import type { DeviceAuthorization } from '@keyturn/client';
import { countdown, isoSeconds } from './format.js';
import { terminalQrCode } from './terminalQrCode.js';

/** Where the display writes: stdout, or a stand-in in tests. */
export interface DisplayOutput {
  write(chunk: string): unknown;
  isTTY?: boolean | undefined;
}

export interface DeviceDisplay {
  /** Prints the instructions; on a terminal, starts the live countdown. */
  show(authorization: DeviceAuthorization): void;
  /** Stops the countdown and clears its line (safe to call more than once). */
  stop(): void;
}

const CLEAR_LINE = '\r\x1b[2K';

/**
 * On a terminal, one status line counts down to the code's expiry, redrawn every second; into a
 * pipe or a log, a single plain line says until when (a redrawn line would be noise there).
 */
export function deviceDisplay(out: DisplayOutput, options: { qr: boolean; now?: () => number }): DeviceDisplay {
  const now = options.now ?? Date.now;
  let ticker: NodeJS.Timeout | undefined;
  return {
    show(authorization) {
      out.write(instructions(authorization, options.qr));
      const expiresAt = Date.parse(authorization.expiresAt);
      if (!out.isTTY) {
        out.write(`Waiting for approval until ${isoSeconds(expiresAt)} (Ctrl-C to cancel)…\n`);
        return;
      }
      const draw = () => out.write(`${CLEAR_LINE}Waiting for approval: the code expires ${countdown(Math.max(0, expiresAt - now()))} (Ctrl-C to cancel)`);
      draw();
      ticker = setInterval(draw, 1000);
    },
    stop() {
      if (ticker === undefined) return;
      clearInterval(ticker);
      ticker = undefined;
      out.write(CLEAR_LINE);
    },
  };
}

/** The page and the code first (enough on their own), then the link and QR code with the code filled in. */
export function instructions(a: DeviceAuthorization, qr: boolean): string {
  const lines = ['To sign in, open this page on your phone or computer:', '', `    ${a.verificationUri}`, '', `and enter the code  ${a.userCode}`, ''];
  if (a.verificationUriComplete !== undefined) {
    lines.push(`Or open ${a.verificationUriComplete}${qr ? ', or scan this QR code with your phone:' : ''}`, '');
    if (qr) lines.push(terminalQrCode(a.verificationUriComplete), '');
  }
  return `${lines.join('\n')}\n`;
}
