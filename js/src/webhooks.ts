// Standard Webhooks (https://www.standardwebhooks.com) signing and verification for any runtime, done by
// the core. `polarCompatible` keys the HMAC as Polar does: with the UTF-8 bytes of the whole secret string,
// where the standard key is the base64-decoded part after `whsec_`.
import { loadCore, type WasmSource } from "./loader.js";
import type { CoreEnvelope, CoreModule, CoreStore } from "../wasm/clientele.mjs";
import { callCore } from "./core_call.js";
import { ValidationError } from "./errors.js";

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

export interface WebhookOptions {
  /** Key the HMAC with the UTF-8 bytes of the whole secret, as Polar's own SDK does. */
  polarCompatible?: boolean;
  /** Where the core's WebAssembly comes from (edge runtimes hand in a WebAssembly.Module); default: beside this package. */
  wasm?: WasmSource;
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

// Signing and verification run in the core (core/webhook.cpp); this file only reads headers and
// passes the delivery in. The core needs no organization for it, so one store per module serves.
type Core = { module: CoreModule; store: CoreStore };
const stores = new WeakMap<object, Promise<Core>>();
let defaultStore: Promise<Core> | undefined;

// A store is kept once made; a failed load is forgotten, so a later call tries again.
function coreStore(wasm: WasmSource | undefined): Promise<Core> {
  const make = () => loadCore(wasm).then((module) => ({ module, store: new module.Store() }));
  if (wasm === undefined) {
    const store = (defaultStore ??= make());
    store.catch(() => {
      if (defaultStore === store) defaultStore = undefined;
    });
    return store;
  }
  if (typeof wasm !== "object") return make();
  let store = stores.get(wasm);
  if (!store) {
    const made = make();
    stores.set(wasm, (store = made));
    made.catch(() => {
      if (stores.get(wasm) === made) stores.delete(wasm);
    });
  }
  return store;
}

/** `polarCompatible` must be a boolean when given (a string "false" would otherwise read as true). */
function polarCompatible(options: WebhookOptions): boolean {
  const value: unknown = options.polarCompatible;
  if (value === undefined || typeof value === "boolean") return value ?? false;
  throw new ValidationError({
    error: "PolarRequestValidationError",
    detail: [{ type: "bool_type", loc: ["polarCompatible"], msg: "Input should be a valid boolean", input: value }],
  });
}

async function core<T>(method: string, args: Record<string, unknown>, wasm: WasmSource | undefined): Promise<T> {
  const { module, store } = await coreStore(wasm);
  const envelope = JSON.parse(callCore(module, store, method, JSON.stringify(args))) as CoreEnvelope;
  if (!envelope.ok) throw new WebhookVerificationError(String(envelope.error.detail));
  return envelope.value as T;
}

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
  const polar_compatible = polarCompatible(options);
  const signature = await core<string>("webhooks.sign", { secret, polar_compatible, id, timestamp, body }, options.wasm);
  return { body, headers: { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature } };
}

/** Verifies a delivery and answers its parsed JSON; throws WebhookVerificationError otherwise. */
export async function verify(
  body: string | Uint8Array,
  headers: Headers | Record<string, string | undefined>,
  secret: string,
  options: VerifyOptions = {},
): Promise<unknown> {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  return core<unknown>(
    "webhooks.verify",
    {
      secret,
      polar_compatible: polarCompatible(options),
      id: header(headers, "webhook-id") ?? "",
      timestamp: header(headers, "webhook-timestamp") ?? "",
      signature: header(headers, "webhook-signature") ?? "",
      body: text,
      now: options.now ?? Math.floor(Date.now() / 1000),
      tolerance_seconds: options.toleranceSeconds ?? 300,
    },
    options.wasm,
  );
}

export const webhooks = { sign, verify };
