// E.164 phone numbers, the only form Twilio takes for `To` and `From`: checked when the configuration is read, so a
// typo is a startup error rather than a message that fails at 3 a.m. Pure.

/** "+" then a country code (no leading 0) and up to 15 digits in all, no spaces or punctuation. */
const E164 = /^\+[1-9]\d{1,14}$/;

/** The number when it is E.164, else a reason that quotes it (a phone number in config is not a secret). */
export function validateE164(number: string): { ok: true; number: string } | { ok: false; reason: string } {
  if (E164.test(number)) return { ok: true, number };
  return { ok: false, reason: `"${number}" is not an E.164 phone number (like +14155550100)` };
}
