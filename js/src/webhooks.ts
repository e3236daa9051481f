// Standard Webhooks (https://www.standardwebhooks.com) signing and verification with WebCrypto's
// HMAC-SHA256, for any runtime. `polarCompatible` keys the HMAC as Polar does: with the UTF-8 bytes of
// the whole secret string, where the standard key is the base64-decoded part after `whsec_`.

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

export interface WebhookOptions {
  /** Key the HMAC with the UTF-8 bytes of the whole secret, as Polar's own SDK does. */
  polarCompatible?: boolean;
}

export interface SignOptions extends WebhookOptions {
  id?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
}

export interface VerifyOptions extends WebhookOptions {
  /** Allowed clock difference in seconds; default 300. */
  toleranceSeconds?: number;
  /** Unix seconds to compare against; default now. */
  now?: number;
}

export interface SignedWebhook {
  body: string;
  headers: { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string };
}

const encoder = new TextEncoder();

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function toBase64(bytes: ArrayBuffer): string {
  let binary = "";
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary);
}

function keyBytes(secret: string, polarCompatible = false): Uint8Array {
  if (polarCompatible) return encoder.encode(secret);
  try {
    return fromBase64(secret.startsWith("whsec_") ? secret.slice(6) : secret);
  } catch {
    throw new WebhookVerificationError("The secret is not base64 (whsec_<base64>)");
  }
}

function hmacKey(secret: string, polarCompatible?: boolean, usage: KeyUsage = "sign"): Promise<CryptoKey> {
  const raw = keyBytes(secret, polarCompatible);
  return crypto.subtle.importKey("raw", raw as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

const content = (id: string, timestamp: string, body: string) => encoder.encode(`${id}.${timestamp}.${body}`);

function header(headers: Headers | Record<string, string | undefined>, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : record[key];
}

/** Signs an event (or an already serialized body) and answers the body with its three headers. */
export async function sign(event: unknown, secret: string, options: SignOptions = {}): Promise<SignedWebhook> {
  const body = typeof event === "string" ? event : JSON.stringify(event);
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const key = await hmacKey(secret, options.polarCompatible);
  const signature = toBase64(await crypto.subtle.sign("HMAC", key, content(id, timestamp, body) as BufferSource));
  return { body, headers: { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${signature}` } };
}

/** Verifies a delivery and answers its parsed JSON; throws WebhookVerificationError otherwise. */
export async function verify(
  body: string | Uint8Array,
  headers: Headers | Record<string, string | undefined>,
  secret: string,
  options: VerifyOptions = {},
): Promise<unknown> {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  const id = header(headers, "webhook-id"), timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError("Missing required headers");
  const sent = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || !Number.isSafeInteger(sent)) throw new WebhookVerificationError("Invalid Signature Headers");
  const now = options.now ?? Math.floor(Date.now() / 1000), tolerance = options.toleranceSeconds ?? 300;
  if (now - sent > tolerance) throw new WebhookVerificationError("Message timestamp too old");
  if (sent - now > tolerance) throw new WebhookVerificationError("Message timestamp too new");
  const key = await hmacKey(secret, options.polarCompatible, "verify");
  const signed = content(id, timestamp, text);
  for (const entry of signatures.split(" ")) {
    const [version, value] = entry.split(",", 2);
    if (version !== "v1" || !value) continue;
    let candidate: Uint8Array;
    try {
      candidate = fromBase64(value);
    } catch {
      continue;
    }
    // crypto.subtle.verify compares in constant time.
    if (await crypto.subtle.verify("HMAC", key, candidate as BufferSource, signed as BufferSource)) return JSON.parse(text);
  }
  throw new WebhookVerificationError("No matching signature found");
}

export const webhooks = { sign, verify };
