// Synthetic but realistic customers from a fixed seed: names in several scripts, unique emails,
// external ids, 0–8 metadata keys. `node bench/generate.mjs N` writes N create bodies as JSON Lines.
import { mulberry32 } from "../fixtures/seeded_random.mjs";
const FIRST = ["Ada", "Zoë", "Björn", "Chloé", "Łukasz", "Иван", "Ольга", "Νίκος", "Ελένη", "Mateo", "Aiko", "Jürgen", "Inès", "Søren", "Antonín", "芳", "伟", "Amara", "Priya", "Kwame", "Olivia", "Noah", "Liam", "Emma", "Sofía", "Mohammed", "Fatima", "Yuki", "Hana", "Lars"];
const LAST = ["Lovelace", "Ångström", "Müller", "Dubois", "Kowalski", "Петров", "Смирнова", "Παπαδόπουλος", "García", "Tanaka", "Núñez", "Hansen", "Novák", "王", "李", "Okafor", "Sharma", "Mensah", "O'Brien", "Rossi", "Silva", "Nguyen", "Kim", "Johansson", "Schmidt", "Martin", "Bernard", "Moreau", "Fischer", "Weber"];
const DOMAINS = ["example.com", "mail.example.org", "acme.io", "globex.test", "initech.dev", "umbrella.example", "hooli.test"];
const KEYS = ["plan", "region", "seats", "beta", "source", "tier", "score", "team"];
const VALUES = { plan: ["free", "pro", "team", "enterprise"], region: ["eu", "us", "apac", "latam"], source: ["ads", "referral", "organic", "partner"], tier: ["a", "b", "c"], team: ["red", "blue", "green"] };

const ascii = (s) => s.normalize("NFD").replace(/[^\x00-\x7f]/g, "").toLowerCase().replace(/[^a-z]/g, "") || "u";

/** `n` customer create bodies (snake_case, as the API takes them). */
export function generate(n, seed = 1) {
  const rnd = mulberry32(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const first = pick(FIRST), last = pick(LAST);
    const metadata = {};
    const keys = Math.floor(rnd() * 9);
    for (let k = 0; k < keys; k++) {
      const key = KEYS[k];
      metadata[key] = key === "seats" || key === "score" ? Math.floor(rnd() * 100) : key === "beta" ? rnd() < 0.5 : pick(VALUES[key]);
    }
    out[i] = { email: `${ascii(first)}.${ascii(last)}.${i}@${pick(DOMAINS)}`, name: `${first} ${last}`, external_id: `ext_${(1e7 + i).toString(36)}`, metadata };
  }
  return out;
}

/** The queries every engine answers, taken from the data so they match something. */
export function queries(customers) {
  const probe = customers[Math.floor(customers.length / 3)];
  return {
    substring3: "ngs",            // inside "Ångström" (folded "ångs") and others
    substring6: "kowals",
    email: probe.email,
    externalId: probe.external_id,
    metadata: { key: "plan", value: "pro" },
  };
}

// Up to 12 queries of 3 characters (the middle of an email's local part) that no query above begins
// with: each lacks trigram lists, so each builds some in clientele, until one builds them all.
export function freshQueries(customers, Q) {
  const fresh = new Set();
  for (let i = 0; fresh.size < 12 && i < customers.length; i += Math.ceil(customers.length / 97)) {
    const local = customers[i].email.slice(0, customers[i].email.indexOf("@"));
    const part = local.slice(local.length >> 1, (local.length >> 1) + 3);
    if (part.length === 3 && ![Q.substring3, Q.substring6].some((q) => q.startsWith(part))) fresh.add(part);
  }
  return [...fresh];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 10000);
  const lines = generate(n).map((c) => JSON.stringify(c));
  process.stdout.write(lines.join("\n") + "\n");
}
