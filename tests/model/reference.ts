// A plain TypeScript reference model of the spec's customer rules (§1 uniqueness, §3 updates, §4 listing,
// §5 deletion), written from the spec alone and kept small and obvious. The differential test runs the same
// seeded operations on it and on the core and compares every listing. Not part of the package.
import { createHash } from "node:crypto";

export type Scalar = string | number | boolean;
export interface Refusal {
  loc: Array<string | number>;
  type: string;
}
export interface Row {
  id: string;
  organization_id: string;
  created_at: string;
  email: string;
  name: string | null;
  external_id: string | null;
  type: "individual" | "team";
  metadata: Record<string, Scalar>;
  deleted: boolean;
}
export interface ListQuery {
  email?: string;
  query?: string;
  metadata?: Record<string, Scalar | Scalar[]>;
  sorting?: string[];
  page?: number;
  limit?: number;
}

// Case-insensitive comparison; the generated data keeps to characters where lower-casing is case folding.
const fold = (s: string) => s.toLowerCase();
const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const text = (v: Scalar) => String(v);
const email = (e: string) => {
  const at = e.lastIndexOf("@");
  return e.slice(0, at) + "@" + e.slice(at + 1).toLowerCase();
};
const trimmedOrNull = (s: string | null | undefined) => (s == null || s.trim() === "" ? null : s.trim());

export class ReferenceStore {
  rows = new Map<string, Row>();

  private live(org: string): Row[] {
    return [...this.rows.values()].filter((r) => r.organization_id === org && !r.deleted);
  }
  private clash(org: string, self: string | null, field: "email" | "external_id", value: string): boolean {
    return this.live(org).some((r) => r.id !== self && (field === "email" ? fold(r.email) === fold(value) : r.external_id === value));
  }

  /** What create would refuse, or null; `add` records the core's generated id and time. */
  checkCreate(org: string, body: { email: string; external_id?: string | null }): Refusal | null {
    if (this.clash(org, null, "email", email(body.email))) return { loc: ["body", "email"], type: "value_error" };
    const ext = trimmedOrNull(body.external_id);
    if (ext !== null && this.clash(org, null, "external_id", ext)) return { loc: ["body", "external_id"], type: "value_error" };
    return null;
  }
  add(org: string, id: string, created_at: string, body: { email: string; name?: string | null; external_id?: string | null; type?: "individual" | "team"; metadata?: Record<string, Scalar> }) {
    this.rows.set(id, {
      id,
      organization_id: org,
      created_at,
      email: email(body.email),
      name: trimmedOrNull(body.name),
      external_id: trimmedOrNull(body.external_id),
      type: body.type ?? "individual",
      metadata: { ...(body.metadata ?? {}) },
      deleted: false,
    });
  }

  update(org: string, id: string, body: { email?: string; name?: string | null; external_id?: string | null; metadata?: Record<string, Scalar> }): Refusal | "not_found" | null {
    const row = this.rows.get(id);
    if (!row || row.organization_id !== org || row.deleted) return "not_found";
    if (body.email != null && this.clash(org, id, "email", email(body.email))) return { loc: ["body", "email"], type: "value_error" };
    if ("external_id" in body) {
      const ext = trimmedOrNull(body.external_id);
      if (row.external_id !== null && ext !== row.external_id) return { loc: ["body", "external_id"], type: "value_error" };
      if (ext !== null && this.clash(org, id, "external_id", ext)) return { loc: ["body", "external_id"], type: "value_error" };
      row.external_id = ext;
    }
    if (body.email != null && fold(email(body.email)) !== fold(row.email)) row.email = email(body.email);
    if ("name" in body) row.name = trimmedOrNull(body.name);
    if (body.metadata) row.metadata = { ...body.metadata };
    return null;
  }

  remove(org: string, id: string, anonymize: boolean): "not_found" | null {
    const row = this.rows.get(id);
    // A deleted customer can still be anonymized (erasure after a soft delete); a plain second delete is not found.
    if (!row || row.organization_id !== org || (row.deleted && !anonymize)) return "not_found";
    if (!row.deleted && row.external_id !== null) row.metadata.__external_id = row.external_id;
    row.deleted = true;
    row.external_id = null;
    if (anonymize) {
      row.email = createHash("sha256").update(id).digest("hex") + "@anonymized.invalid";
      row.name = "[deleted]";
    }
    return null;
  }

  list(org: string, q: ListQuery): { ids: string[]; total_count: number; max_page: number } {
    let rows = this.live(org);
    if (q.email !== undefined) rows = rows.filter((r) => fold(r.email) === fold(q.email!.trim()));
    if (q.query !== undefined && q.query.trim() !== "") {
      const needle = fold(q.query.trim());
      rows = rows.filter(
        (r) => fold(r.email).includes(needle) || fold(r.name ?? "").includes(needle) || fold(r.external_id ?? "").startsWith(needle),
      );
    }
    for (const [key, wanted] of Object.entries(q.metadata ?? {})) {
      const any = (Array.isArray(wanted) ? wanted : [wanted]).map(text);
      rows = rows.filter((r) => key in r.metadata && any.includes(text(r.metadata[key])));
    }
    const sorting = q.sorting ?? ["-created_at"];
    const keyOf = (r: Row, field: string) => (field === "created_at" ? r.created_at : field === "email" ? fold(r.email) : fold(r.name ?? ""));
    rows.sort((a, b) => {
      for (const s of sorting) {
        const field = s.replace(/^-/, ""), sign = s.startsWith("-") ? -1 : 1;
        const c = bytes(keyOf(a, field), keyOf(b, field));
        if (c !== 0) return sign * c;
      }
      return (sorting[0].startsWith("-") ? -1 : 1) * bytes(a.id, b.id); // ties by id, in the first key's direction
    });
    const limit = Math.min(q.limit ?? 10, 100), page = q.page ?? 1;
    return {
      ids: rows.slice((page - 1) * limit, page * limit).map((r) => r.id),
      total_count: rows.length,
      max_page: Math.ceil(rows.length / limit),
    };
  }
}
