// Error classes for the core's refusals, carrying Polar's error body; messages name the field and rule.

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

const DUPLICATE = /already exists/;

export function toError(status: number, body: ErrorBody): ClienteleError {
  if (status === 422) {
    const detail = Array.isArray(body.detail) ? (body.detail as ValidationDetail[]) : [];
    const conflict = detail.length > 0 && detail.every((d) => DUPLICATE.test(d.msg));
    return conflict ? new ConflictError(body) : new ValidationError(body);
  }
  const message = typeof body.detail === "string" ? body.detail : body.error;
  if (status === 404) return new NotFoundError(message, status, body);
  if (status === 403) return new NotPermittedError(message, status, body);
  if (status === 401) return new UnauthorizedError(message, status, body);
  return new ClienteleError(message, status, body);
}
