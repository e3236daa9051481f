// Demo data: 5,000 customers from a fixed seed (names in several scripts, emails, external ids,
// metadata, some teams and addresses), as create bodies for the package.
import { mulberry32 } from "../fixtures/seeded_random.mjs";

const FIRST = ["Ada", "Zoë", "Björn", "Chloé", "Łukasz", "Иван", "Ольга", "Νίκος", "Ελένη", "Mateo", "Aiko", "Jürgen", "Inès", "Søren", "Dvořák", "王芳", "李伟", "Amara", "Priya", "Kwame"];
const LAST = ["Lovelace", "Ångström", "Müller", "Dubois", "Kowalski", "Петров", "Смирнова", "Παπαδόπουλος", "García", "Tanaka", "Núñez", "Hansen", "Novák", "北京", "Okafor", "Sharma", "Mensah", "O'Brien", "Rossi", "Silva"];
const DOMAINS = ["example.com", "mail.example.org", "acme.io", "globex.test", "initech.dev"];
const PLANS = ["free", "pro", "team", "enterprise"];
const REGIONS = ["eu", "us", "apac", "latam"];
const COUNTRIES = [["FR", null], ["DE", null], ["US", "CA"], ["US", "NY"], ["CA", "QC"], ["GB", null], ["JP", null], ["BR", null]];

const ascii = (s) => s.normalize("NFD").replace(/[^\x00-\x7f]/g, "").toLowerCase().replace(/[^a-z]/g, "") || "user";

export function demoCustomers(count = 5000, seed = 42) {
  const rnd = mulberry32(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const out = [];
  for (let i = 0; i < count; i++) {
    const first = pick(FIRST), last = pick(LAST);
    const team = rnd() < 0.1;
    const body = {
      email: `${ascii(first)}.${ascii(last)}${i}@${pick(DOMAINS)}`,
      name: team ? `${last} ${pick(["GmbH", "SAS", "Inc", "Ltd"])}` : `${first} ${last}`,
      type: team ? "team" : "individual",
      externalId: rnd() < 0.6 ? `usr_${(100000 + i).toString(36)}` : undefined,
      metadata: {},
    };
    const keys = Math.floor(rnd() * 4);
    if (keys > 0) body.metadata.plan = pick(PLANS);
    if (keys > 1) body.metadata.region = pick(REGIONS);
    if (keys > 2) body.metadata.seats = 1 + Math.floor(rnd() * 20);
    if (rnd() < 0.3) {
      const [country, state] = pick(COUNTRIES);
      body.billingAddress = { country, state, city: pick(["Paris", "Berlin", "Austin", "Montréal", "London", "Osaka", "São Paulo"]) };
    }
    out.push(body);
  }
  return out;
}
