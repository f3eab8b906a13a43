// Deterministic synthetic people: user i always gets the same given name, family name and email, so the
// load generator can address any seeded user without keeping a million rows in memory.
//
// Family names are three syllables A+B+C, each from 40 (64,000 distinct names, Zipf-free), so a
// `family_name ^= "..."` prefix can be chosen to match a few dozen users whatever the pool size:
// A matches N/40 users, A+B N/1,600, A+B plus C's first letter about N/30,000.

const GIVEN = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Amelia', 'Oliver', 'Ava', 'Elijah', 'Sophia', 'Mateo', 'Isabella', 'Lucas',
  'Mia', 'Levi', 'Evelyn', 'Asher', 'Harper', 'James', 'Luna', 'Leo', 'Camila', 'Grayson', 'Gianna', 'Ezra',
  'Elizabeth', 'Luca', 'Eleanor', 'Ethan', 'Ella', 'Aiden', 'Abigail', 'Wyatt', 'Sofia', 'Sebastian', 'Avery',
  'Jack', 'Scarlett', 'Daniel', 'Emily', 'Hudson', 'Aria', 'Benjamin', 'Penelope', 'Henry', 'Chloe', 'Michael',
  'Layla', 'Jackson', 'Mila', 'Samuel', 'Nora', 'Maverick', 'Hazel', 'Kai', 'Madison', 'Josiah', 'Ellie',
  'Owen', 'Lily', 'Theodore', 'Nova', 'Jayden', 'Isla', 'Carter', 'Grace', 'David', 'Violet', 'Gabriel',
  'Aurora', 'Julian', 'Riley', 'Wei', 'Yuki', 'Aisha', 'Mohammed', 'Fatima', 'Ravi', 'Priya', 'Chen', 'Sven',
  'Ingrid', 'Jose', 'Lucia', 'Pierre', 'Chloé', 'Zoë', 'Björn', 'Anouk', 'Kenji', 'Amara', 'Tariq', 'Leila',
];
const SYL_A = ['Ab', 'Bel', 'Cor', 'Dun', 'El', 'Fair', 'Gal', 'Har', 'Ing', 'Jor', 'Kel', 'Lind', 'Mar', 'Nor',
  'Ost', 'Pen', 'Quen', 'Ros', 'Sal', 'Tor', 'Ul', 'Van', 'Wes', 'Yor', 'Zan', 'Bram', 'Cal', 'Dar', 'Fen',
  'Grim', 'Hol', 'Kest', 'Lor', 'Mont', 'Pell', 'Rad', 'Stan', 'Thorn', 'Wald', 'Ash'];
const SYL_B = ['a', 'e', 'i', 'o', 'u', 'ar', 'er', 'in', 'on', 'un', 'al', 'el', 'il', 'ol', 'an', 'en', 'is',
  'os', 'ab', 'ed', 'ig', 'od', 'ub', 'am', 'em', 'im', 'om', 'ur', 'ir', 'or', 'ay', 'ey', 'oy', 'au', 'ei',
  'ia', 'io', 'ea', 'ou', 'ue'];
const SYL_C = ['bach', 'berg', 'bury', 'by', 'dale', 'den', 'dorf', 'feld', 'ford', 'gate', 'ham', 'hart',
  'holm', 'hurst', 'kamp', 'land', 'ley', 'lund', 'man', 'mere', 'mont', 'more', 'ner', 'quist', 'rick', 'ridge',
  'rud', 'sen', 'shaw', 'son', 'stad', 'stein', 'ston', 'strom', 'thal', 'ton', 'vik', 'wald', 'well', 'wick'];

/** 32-bit mix of i (splitmix-style): a cheap stateless pseudo-random number per user and field. */
function mix(i, salt) {
  let x = (i * 0x9e3779b1 + salt * 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const pick = (list, i, salt) => list[mix(i, salt) % list.length];

/** @param {number} i @returns {{given: string, family: string, a: string, b: string, c: string, email: string}} */
export function person(i) {
  const given = pick(GIVEN, i, 1);
  const a = pick(SYL_A, i, 2);
  const b = pick(SYL_B, i, 3);
  const c = pick(SYL_C, i, 4);
  const family = a + b + c;
  const local = `${given}.${family}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  return { given, family, a, b, c, email: `${local}.${i}@example.com` };
}

/**
 * A family-name prefix taken from user i, cut where the expected number of matches among n users comes
 * closest to `want` (A: n/40, A+B: n/1,600, A+B+first letter of C: n/(1,600 × distinct first letters)).
 */
export function familyPrefix(i, n, want = 30) {
  const p = person(i);
  const firstLetters = new Set(SYL_C.map((s) => s[0])).size;
  const cuts = [
    { prefix: p.a, expect: n / SYL_A.length },
    { prefix: p.a + p.b, expect: n / (SYL_A.length * SYL_B.length) },
    { prefix: p.a + p.b + p.c[0], expect: n / (SYL_A.length * SYL_B.length * firstLetters) },
  ];
  let best = cuts[0];
  for (const c of cuts) if (Math.abs(Math.log(c.expect / want)) < Math.abs(Math.log(best.expect / want))) best = c;
  return best.prefix;
}
