// The two Node APIs the reference model uses, declared here so the model needs no @types package.
declare module "node:crypto" {
  export function createHash(algorithm: "sha256"): { update(data: string): { digest(encoding: "hex"): string } };
}
declare const Buffer: { from(text: string): Uint8Array; compare(a: Uint8Array, b: Uint8Array): number };
