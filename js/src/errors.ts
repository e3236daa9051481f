// Error classes for the core's refusals, carrying Polar's error body; messages name the field and rule.
// The class comes from the core's machine-readable error code, never from the wording of a message.

export interface ValidationDetail {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input?: unknown;
}

export interface ErrorBody {
  error: string;
  detail: unknown;
}

/**
 * The core's machine-readable kind of a refusal (the `code` of its call envelope): "conflict" when every
 * detail is a unique key (email, external id) another customer or member already holds.
 */
export type ErrorCode = "validation" | "conflict" | "not_found" | "not_permitted" | "unauthorized" | "webhook_verification" | "internal";

export class ClienteleError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 422: one entry per broken rule in `detail`, all reported at once. */
export class ValidationError extends ClienteleError {
  readonly detail: ValidationDetail[];
  constructor(body: ErrorBody) {
    const detail = Array.isArray(body.detail) ? (body.detail as ValidationDetail[]) : [];
    super(detail.map(describe).join("; ") || "Validation error", 422, body);
    this.detail = detail;
  }
}

/** 422 for a duplicate email or external id (Polar answers 422, not 409; this subclass lets you tell). */
export class ConflictError extends ValidationError {}

export class NotFoundError extends ClienteleError {}
export class NotPermittedError extends ClienteleError {}
export class UnauthorizedError extends ClienteleError {}

function describe(d: ValidationDetail): string {
  const field = d.loc.filter((part, i) => !(i === 0 && (part === "body" || part === "query"))).join(".");
  return `${field || d.loc.join(".")}: ${d.msg} (${d.type})`;
}

// Without a code (an answer from an older core, or a hand-built envelope), the HTTP status decides;
// a 422 is then a plain ValidationError. "internal" (the binding's own 500) is a plain ClienteleError.
const BY_STATUS: Record<number, ErrorCode> = { 422: "validation", 404: "not_found", 403: "not_permitted", 401: "unauthorized" };

/** The typed error for a refusal: the class follows `code` when the core gives one, else `status`. */
export function toError(status: number, body: ErrorBody, code?: ErrorCode): ClienteleError {
  const kind = code ?? BY_STATUS[status];
  if (kind === "conflict") return new ConflictError(body);
  if (kind === "validation") return new ValidationError(body);
  const message = typeof body.detail === "string" ? body.detail : body.error;
  if (kind === "not_found") return new NotFoundError(message, status, body);
  if (kind === "not_permitted") return new NotPermittedError(message, status, body);
  if (kind === "unauthorized") return new UnauthorizedError(message, status, body);
  return new ClienteleError(message, status, body);
}
