// camelCase arguments in, the API's snake_case out. Free-form maps (metadata, properties) keep their keys.
// Keys come from users: they are set with defineProperty (an own "__proto__" stays a key the core then
// refuses or keeps, never a prototype), and objects without a prototype convert like plain ones.

const OPAQUE = new Set(["metadata", "benefit_metadata", "properties"]);

export function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

function plain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function toSnake(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSnake);
  if (value === null || typeof value !== "object" || !plain(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (inner === undefined) continue;
    const k = snakeKey(key);
    Object.defineProperty(out, k, { value: OPAQUE.has(k) ? inner : toSnake(inner), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
