// How an SMS text is billed and split: GSM-7 (the basic set one septet a character, the extension set two) up to 160
// in one segment, else UCS-2 (UTF-16 units) up to 70. One segment is the goal: a text split in two can arrive in
// pieces, late, or cost twice. Pure.

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentInfo {
  encoding: SmsEncoding;
  /** Septets for GSM-7, UTF-16 units for UCS-2. */
  units: number;
  /** What one segment holds in this encoding (160 or 70). */
  singleSegmentUnits: number;
  segments: number;
}

/** The GSM 03.38 basic character set (the escape character itself excluded). */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension set: each is sent as escape + character, two septets. */
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

const SINGLE = { 'GSM-7': 160, 'UCS-2': 70 } as const;
/** In a split message each segment gives up room to the header that joins them again. */
const CONCATENATED = { 'GSM-7': 153, 'UCS-2': 67 } as const;

export function segmentInfo(text: string): SegmentInfo {
  let septets = 0;
  for (const char of text) {
    if (GSM_BASIC.has(char)) septets += 1;
    else if (GSM_EXTENSION.has(char)) septets += 2;
    else return info('UCS-2', text.length);
  }
  return info('GSM-7', septets);
}

function info(encoding: SmsEncoding, units: number): SegmentInfo {
  const singleSegmentUnits = SINGLE[encoding];
  const segments = units <= singleSegmentUnits ? 1 : Math.ceil(units / CONCATENATED[encoding]);
  return { encoding, units, singleSegmentUnits, segments };
}

export function fitsOneSegment(text: string): boolean {
  return segmentInfo(text).segments === 1;
}

/**
 * Typographic punctuation that has a plain GSM-7 twin: swapping it keeps the meaning and the 160-character room, where
 * one curly quote would otherwise cut the whole text to 70. Letters outside GSM-7 are left alone (they would change
 * names), so such a text is fitted into 70 instead.
 */
const GSM_TWINS: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '`': "'",
};

export function withGsmPunctuation(text: string): string {
  return text.replace(
    /[\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u00a0\u2009\u202f`]/g,
    (char) => GSM_TWINS[char]!,
  );
}
