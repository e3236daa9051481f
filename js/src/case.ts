// camelCase arguments in, the API's snake_case out. Free-form maps (metadata, properties) keep their keys.

const OPAQUE = new Set(["metadata", "benefit_metadata", "properties"]);

export function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

export function toSnake(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSnake);
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (inner === undefined) continue;
    const k = snakeKey(key);
    out[k] = OPAQUE.has(k) ? inner : toSnake(inner);
  }
  return out;
}
