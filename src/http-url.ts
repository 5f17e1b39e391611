// Links taken from labels, annotations and notifications are untrusted: only an http(s) URL is ever offered as one.

/** The URL, normalised, when it is http(s); undefined for anything else (`javascript:`, not a URL, absent). */
export function httpUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
