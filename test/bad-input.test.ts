/**
 * Bad input for every operation of the service model, generated from the model: malformed JSON, a JSON array,
 * each top-level member with the wrong JSON type, each required member missing, strings one code point too
 * long, lists one element too long, values outside an enum, numbers outside their range. Every answer must be
 * an HTTP 400 with the right `__type` (never a 5xx, never a dropped connection), and afterwards the store must
 * hold exactly what it held before: invalid input never reaches a handler.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { sql } from 'kysely';
import type { ShapeModel } from '../src/api/model.js';
import { startTessera, storeKinds, type TestServer } from './helpers/server.js';
import { inputMembers, isSigned, model, segment, validInput, validValue } from './helpers/model-inputs.js';
import { call, errorOf, inBatches } from './helpers/wire.js';

const BATCH = 32;

interface Case {
  op: string;
  what: string;
  body: unknown;
  type: 'SerializationException' | 'InvalidParameterException';
  /** Substrings the message must contain. */
  message?: string[];
}

/** A JSON value of the wrong type for a shape (undefined: every value fits, e.g. a document). */
function wrongType(shape: ShapeModel): unknown {
  switch (shape.type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return 'not a number';
    case 'boolean':
      return 'yes';
    case 'timestamp':
      return true;
    case 'blob':
      return 42;
    case 'list':
      return 'not a list';
    case 'map':
      return ['not', 'a', 'map'];
    case 'structure':
      return shape.document ? undefined : 'not a structure';
  }
}

/** The cases for one operation, each built on a valid input (`base`) with exactly one thing wrong. */
function casesFor(op: string, base: Record<string, unknown>): Case[] {
  const cases: Case[] = [
    { op, what: 'malformed JSON', body: '{"UserPoolId": "us-east-1_x", ', type: 'SerializationException' },
    { op, what: 'a JSON array', body: '[]', type: 'SerializationException' },
    { op, what: 'a JSON string', body: '"hello"', type: 'SerializationException' },
  ];
  for (const m of inputMembers(op)) {
    const seg = segment(m.name);
    const wrong = wrongType(m.shape);
    if (wrong !== undefined) cases.push({ op, what: `${m.name} of the wrong JSON type`, body: { ...base, [m.name]: wrong }, type: 'SerializationException' });
    if (m.required) {
      const { [m.name]: _dropped, ...rest } = base;
      cases.push({
        op,
        what: `${m.name} missing`,
        body: rest,
        type: 'InvalidParameterException',
        message: [`1 validation error detected: Value null at '${seg}' failed to satisfy constraint: Member must not be null`],
      });
    }
    const s = m.shape;
    if (s.type === 'string' && s.enum !== undefined) {
      cases.push({ op, what: `${m.name} outside its enum`, body: { ...base, [m.name]: 'NOT_AN_ENUM_VALUE' }, type: 'InvalidParameterException', message: [`at '${seg}'`, 'Member must satisfy enum value set'] });
    } else if (s.type === 'string' && s.max !== undefined && s.max < 200_000) {
      const seed = typeof base[m.name] === 'string' ? String(base[m.name]) : 'a';
      const last = [...seed].pop() ?? 'a';
      const long = seed + last.repeat(Math.max(s.max + 1 - [...seed].length, 0));
      cases.push({ op, what: `${m.name} longer than ${s.max}`, body: { ...base, [m.name]: long }, type: 'InvalidParameterException', message: [`at '${seg}'`, `Member must have length less than or equal to ${s.max}`] });
    }
    if (s.type === 'string' && s.min !== undefined && s.min > 0) {
      cases.push({ op, what: `${m.name} shorter than ${s.min}`, body: { ...base, [m.name]: '' }, type: 'InvalidParameterException', message: [`at '${seg}'`, `Member must have length greater than or equal to ${s.min}`] });
    }
    if (s.type === 'list' && s.max !== undefined && s.max <= 1000) {
      const item = validValue(s.member);
      cases.push({ op, what: `${m.name} with ${s.max + 1} elements`, body: { ...base, [m.name]: Array.from({ length: s.max + 1 }, () => item) }, type: 'InvalidParameterException', message: [`at '${seg}'`, `Member must have length less than or equal to ${s.max}`] });
    }
    if (s.type === 'integer' || s.type === 'long' || s.type === 'float' || s.type === 'double') {
      if (s.max !== undefined) {
        cases.push({ op, what: `${m.name} above ${s.max}`, body: { ...base, [m.name]: s.max + 1 }, type: 'InvalidParameterException', message: [`at '${seg}'`, `Member must have value less than or equal to ${s.max}`] });
      }
      if (s.min !== undefined) {
        cases.push({ op, what: `${m.name} below ${s.min}`, body: { ...base, [m.name]: s.min - 1 }, type: 'InvalidParameterException', message: [`at '${seg}'`, `Member must have value greater than or equal to ${s.min}`] });
      }
    }
  }
  return cases;
}

/** Every row of every table (migration bookkeeping included), hashed per table. */
async function snapshot(t: TestServer): Promise<Record<string, string>> {
  const db = t.app.store.dialect.db;
  const tables =
    t.app.store.dialect.kind === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() order by table_name`.execute(db)).rows.map((r) => r.name);
  assert.ok(tables.includes('users') && tables.includes('user_pools'), `tables: ${tables.join(', ')}`);
  const out: Record<string, string> = {};
  for (const name of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows;
    const lines = rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort();
    out[name] = `${rows.length} rows ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return out;
}

for (const kind of storeKinds()) {
  describe(`bad input for every operation (${kind})`, () => {
    let t: TestServer;
    let before_: Record<string, string>;
    /** Real ids, so that an input wrongly let through would find something to change. */
    const real: Record<string, string> = {};
    const signed = () => ({ accessKeyId: t.credentials.accessKeyId, secretAccessKey: t.credentials.secretAccessKey });

    before(async () => {
      t = await startTessera({ store: kind });
      const c = t.client();
      const missing = new Set(t.app.dispatcher.unimplemented());
      const pool = await c.send(new CreateUserPoolCommand({ PoolName: 'bad-input', AutoVerifiedAttributes: ['email'] }));
      real.UserPoolId = pool.UserPool?.Id ?? '';
      if (!missing.has('CreateUserPoolClient')) {
        const client = await c.send(new CreateUserPoolClientCommand({ UserPoolId: real.UserPoolId, ClientName: 'bad-input' }));
        real.ClientId = client.UserPoolClient?.ClientId ?? '';
      }
      if (!missing.has('CreateGroup')) {
        await c.send(new CreateGroupCommand({ UserPoolId: real.UserPoolId, GroupName: 'readers' }));
        real.GroupName = 'readers';
      }
      before_ = await snapshot(t);
    });
    after(() => t.close());

    function baseFor(op: string): Record<string, unknown> {
      const base = validInput(op);
      for (const [k, v] of Object.entries(real)) if (k in base) base[k] = v;
      return base;
    }

    async function check(cases: Case[]): Promise<{ sent: number; failures: string[] }> {
      const failures: string[] = [];
      await inBatches(cases, BATCH, async (c) => {
        let a;
        try {
          a = await call(t.endpoint, { op: c.op, body: c.body, ...(isSigned(c.op) ? { sign: signed() } : {}) });
        } catch (err) {
          failures.push(`${c.op}, ${c.what}: connection failed: ${String(err)}`);
          return;
        }
        const e = errorOf(a);
        if (a.status !== 400 || e.type !== c.type) {
          failures.push(`${c.op}, ${c.what}: expected 400 ${c.type}, got ${a.status} ${a.text.slice(0, 300)}`);
          return;
        }
        for (const m of c.message ?? []) {
          if (!e.message.includes(m)) failures.push(`${c.op}, ${c.what}: message lacks "${m}": ${e.message.slice(0, 300)}`);
        }
      });
      return { sent: cases.length, failures };
    }

    const all = (): Case[] => [...model.operations.keys()].flatMap((op) => casesFor(op, baseFor(op)));

    it('the generated base inputs are valid (the mutations below are the only fault)', () => {
      for (const op of model.operations.keys()) assert.doesNotThrow(() => baseFor(op), op);
    });

    it('malformed JSON and non-object bodies: SerializationException', async (ctx) => {
      const { sent, failures } = await check(all().filter((c) => typeof c.body === 'string'));
      ctx.diagnostic(`${sent} requests`);
      assert.deepEqual(failures, []);
    });

    it('members of the wrong JSON type: SerializationException', async (ctx) => {
      const { sent, failures } = await check(all().filter((c) => typeof c.body !== 'string' && c.type === 'SerializationException'));
      ctx.diagnostic(`${sent} requests`);
      assert.ok(sent > 300, `only ${sent} cases`);
      assert.deepEqual(failures, []);
    });

    it('missing required members: InvalidParameterException naming the member', async (ctx) => {
      const { sent, failures } = await check(all().filter((c) => c.what.endsWith(' missing')));
      ctx.diagnostic(`${sent} requests`);
      assert.ok(sent > 150, `only ${sent} cases`);
      assert.deepEqual(failures, []);
    });

    it('lengths, enums and ranges: InvalidParameterException naming the member and constraint', async (ctx) => {
      const cases = all().filter((c) => c.type === 'InvalidParameterException' && !c.what.endsWith(' missing'));
      const { sent, failures } = await check(cases);
      ctx.diagnostic(`${sent} requests (${cases.filter((c) => c.what.includes('enum')).length} enum, ${cases.filter((c) => c.what.includes('longer')).length} too long, ${cases.filter((c) => / (above|below) /.test(c.what)).length} out of range)`);
      assert.ok(sent > 200, `only ${sent} cases`);
      assert.deepEqual(failures, []);
    });

    it('left the store exactly as it was', async () => {
      assert.deepEqual(await snapshot(t), before_);
    });
  });
}
