// The benchmark's requests, the same against every server: AdminGetUser and ListUsers on seeded users
// (addressed by their email, the pool's sign-in name), and AdminCreateUser of new people. Every answer is
// checked, so a server that answers fast but wrong (e.g. ignores a filter) does not score.
import { familyPrefix, person } from './names.mjs';

export const TEMP_PASSWORD = 'Bench-Temp0rary!';

const randomUser = (n) => Math.floor(Math.random() * n);
const attr = (attrs, name) => attrs?.find((a) => a.Name === name)?.Value;

/** AdminCreateUser request for person i (no invitation message: the peers send none either). */
export function createRequest(poolId, i) {
  const p = person(i);
  return {
    UserPoolId: poolId,
    Username: p.email,
    TemporaryPassword: TEMP_PASSWORD,
    MessageAction: 'SUPPRESS',
    UserAttributes: [
      { Name: 'email', Value: p.email },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'given_name', Value: p.given },
      { Name: 'family_name', Value: p.family },
    ],
  };
}

/**
 * The read and write operations of the workload over a pool holding people [0, n).
 * Each is {name, request(seq) → Promise, check(answer) → rows | throws}.
 */
export function operations(client, poolId, n, createBase = n) {
  return {
    getUser: {
      name: 'AdminGetUser',
      request: () => {
        const i = randomUser(n);
        return client.call('AdminGetUser', { UserPoolId: poolId, Username: person(i).email }).then((a) => ({ a, i }));
      },
      check: ({ a, i }) => {
        if (attr(a.UserAttributes, 'email') !== person(i).email) throw new Error(`AdminGetUser: wrong user ${JSON.stringify(a).slice(0, 200)}`);
        return 1;
      },
    },
    listEmail: {
      name: 'ListUsers email =',
      request: () => {
        const i = randomUser(n);
        const email = person(i).email;
        return client.call('ListUsers', { UserPoolId: poolId, Filter: `email = "${email}"`, Limit: 60 }).then((a) => ({ a, email }));
      },
      check: ({ a, email }) => {
        const users = a.Users ?? [];
        if (users.length !== 1 || attr(users[0].Attributes, 'email') !== email) {
          throw new Error(`ListUsers email = "${email}": expected that one user, got ${users.length} (filter ignored or wrong)`);
        }
        return 1;
      },
    },
    listPrefix: {
      name: 'ListUsers family_name ^=',
      request: () => {
        const prefix = familyPrefix(randomUser(n), n);
        return client.call('ListUsers', { UserPoolId: poolId, Filter: `family_name ^= "${prefix}"`, Limit: 60 }).then((a) => ({ a, prefix }));
      },
      check: ({ a, prefix }) => {
        const users = a.Users ?? [];
        if (users.length === 0) throw new Error(`ListUsers family_name ^= "${prefix}": no users, but at least one matches`);
        for (const u of users) {
          if (!String(attr(u.Attributes, 'family_name') ?? '').startsWith(prefix)) {
            throw new Error(`ListUsers family_name ^= "${prefix}": a user without that prefix (filter ignored or wrong)`);
          }
        }
        return users.length;
      },
    },
    createUser: {
      name: 'AdminCreateUser',
      request: (seq) => client.call('AdminCreateUser', createRequest(poolId, createBase + seq)),
      check: (a) => {
        if (!a.User?.Username) throw new Error(`AdminCreateUser: no user in ${JSON.stringify(a).slice(0, 200)}`);
        return 1;
      },
    },
  };
}

/**
 * Whether a server supports an operation as the workload uses it: five checked calls. Returns undefined
 * when it does, else the reason.
 */
export async function supports(op) {
  try {
    for (let s = 0; s < 5; s++) op.check(await op.request(s));
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
