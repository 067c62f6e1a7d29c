/** What `keyturn login --device` shows: the QR code module for module, the instructions, the countdown on a terminal and the plain line in a pipe. */
import { encode } from 'uqr';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceAuthorization } from '@keyturn/client';
import { deviceDisplay, instructions } from './deviceDisplay.js';
import { QR_BORDER, terminalQrCode } from './terminalQrCode.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const codes: DeviceAuthorization = {
  deviceCode: 'dc-secret',
  userCode: 'WDJB-MJHT',
  verificationUri: 'https://auth.example.com/device',
  verificationUriComplete: 'https://auth.example.com/device?user_code=WDJB-MJHT',
  expiresIn: 600,
  expiresAt: new Date(T0 + 600_000).toISOString(),
  interval: 5,
};

/** Reads a half-block drawing back into modules (true = dark), as a camera would. */
function modulesOf(drawing: string, size: number): boolean[][] {
  const halves: Record<string, [boolean, boolean]> = { '█': [false, false], '▀': [false, true], '▄': [true, false], ' ': [true, true] };
  const rows: boolean[][] = [];
  for (const line of drawing.split('\n')) {
    const pairs = [...line].map((ch) => {
      const pair = halves[ch];
      if (!pair) throw new Error(`unexpected character ${JSON.stringify(ch)}`);
      return pair;
    });
    rows.push(pairs.map(([top]) => top), pairs.map(([, bottom]) => bottom));
  }
  return rows.slice(0, size);
}

function output(isTTY: boolean) {
  const out = { isTTY, text: '', write: (chunk: string) => (out.text += chunk) };
  return out;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('terminalQrCode', () => {
  it('draws exactly the modules of the QR code of the text, with its quiet zone', () => {
    const url = codes.verificationUriComplete!;
    const qr = encode(url, { border: QR_BORDER });
    expect(modulesOf(terminalQrCode(url), qr.size)).toEqual(qr.data);
    expect(qr.data[0]!.every((dark) => !dark)).toBe(true);
  });
});

describe('instructions', () => {
  it('gives the page and the code first, then the link with the code and its QR code', () => {
    const text = instructions(codes, true);
    expect(text.indexOf('https://auth.example.com/device\n')).toBeLessThan(text.indexOf('WDJB-MJHT'));
    expect(text).toContain('Or open https://auth.example.com/device?user_code=WDJB-MJHT, or scan this QR code with your phone:');
    expect(text).toContain(terminalQrCode(codes.verificationUriComplete!));
    expect(text).not.toContain('dc-secret');
  });

  it('leaves out the link and QR code when the server sent no verification_uri_complete', () => {
    const text = instructions({ ...codes, verificationUriComplete: undefined }, true);
    expect(text).not.toContain('Or open');
    expect(text).not.toMatch(/[█▀▄]/);
  });
});

describe('deviceDisplay', () => {
  it('on a terminal redraws one countdown line every second until stopped, then clears it', () => {
    vi.useFakeTimers({ now: T0 });
    const out = output(true);
    const display = deviceDisplay(out, { qr: false });
    display.show(codes);
    vi.advanceTimersByTime(2_000);
    const lines = out.text.split('\r\x1b[2K').slice(1);
    expect(lines).toEqual([
      'Waiting for approval: the code expires in 10 min 0 s (Ctrl-C to cancel)',
      'Waiting for approval: the code expires in 9 min 59 s (Ctrl-C to cancel)',
      'Waiting for approval: the code expires in 9 min 58 s (Ctrl-C to cancel)',
    ]);
    display.stop();
    const after = out.text;
    expect(after.endsWith('\r\x1b[2K')).toBe(true);
    vi.advanceTimersByTime(5_000);
    expect(out.text).toBe(after);
  });

  it('into a pipe writes one plain line with the deadline and no redraws', () => {
    vi.useFakeTimers({ now: T0 });
    const out = output(false);
    const display = deviceDisplay(out, { qr: false });
    display.show(codes);
    vi.advanceTimersByTime(5_000);
    display.stop();
    expect(out.text.endsWith('\nWaiting for approval until 2026-01-01T00:10:00Z (Ctrl-C to cancel)…\n')).toBe(true);
    expect(out.text).not.toContain('\x1b');
  });
});
