/** A QR code drawn with Unicode half blocks (two modules per character), scannable from a terminal, over SSH too. */
import { renderUnicodeCompact } from 'uqr';

/** Modules of quiet zone around the code: enough for phone cameras, small enough for an 80×24 terminal. */
export const QR_BORDER = 2;

/**
 * The QR code of `text` as lines of `█ ▀ ▄` and spaces: light modules are drawn, dark ones left
 * blank, which is what scans on the usual dark terminal background.
 */
export function terminalQrCode(text: string): string {
  return renderUnicodeCompact(text, { border: QR_BORDER });
}
