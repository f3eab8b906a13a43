import { invalidParameter } from './errors.js';

/**
 * Attributes ListUsers can search
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html#CognitoUserPools-ListUsers-request-Filter).
 * `cognito:user_status` is the UserStatus (its value compares case-insensitively); `status` is
 * Enabled/Disabled (case-sensitive).
 */
export const SEARCHABLE_ATTRIBUTES = [
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
] as const;

export type SearchableAttribute = (typeof SEARCHABLE_ATTRIBUTES)[number];

export interface UserFilter {
  attribute: SearchableAttribute;
  /** `=` exact match, `^=` starts-with. */
  op: 'eq' | 'prefix';
  value: string;
}

const isSearchable = (name: string): name is SearchableAttribute => SEARCHABLE_ATTRIBUTES.some((a) => a === name);

// The wording Cognito answers for a filter it cannot read.
const parseError = () => invalidParameter('Error while parsing filter.');

/**
 * Parses `AttributeName Filter-Type "AttributeValue"`, e.g. `family_name = "Reddy"` or `email ^= "a"`.
 * Quotes and backslashes inside the value are escaped with a backslash. An empty (or blank) filter means
 * every user: undefined.
 */
export function parseUserFilter(filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const m = /^\s*([^\s=^"]+)\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/su.exec(filter);
  if (!m) throw parseError();
  const [, name = '', op, raw = ''] = m;
  if (!isSearchable(name)) throw invalidParameter(`Invalid search attribute: ${name}`);
  return { attribute: name, op: op === '^=' ? 'prefix' : 'eq', value: raw.replace(/\\(.)/gsu, '$1') };
}
