/**
 * The standard attributes every user pool has, as DescribeUserPool lists them in SchemaAttributes
 * (OpenID Connect standard claims; https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html).
 */
export interface SchemaAttribute {
  Name: string;
  AttributeDataType: 'String' | 'Number' | 'DateTime' | 'Boolean';
  DeveloperOnlyAttribute: boolean;
  Mutable: boolean;
  Required: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
}

const text = (Name: string, min = '0', max = '2048'): SchemaAttribute => ({
  Name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
  StringAttributeConstraints: { MinLength: min, MaxLength: max },
});
const bool = (Name: string): SchemaAttribute => ({
  Name,
  AttributeDataType: 'Boolean',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
});

export const STANDARD_ATTRIBUTES: readonly SchemaAttribute[] = [
  { ...text('sub', '1', '2048'), Mutable: false, Required: true },
  text('name'),
  text('given_name'),
  text('family_name'),
  text('middle_name'),
  text('nickname'),
  text('preferred_username'),
  text('profile'),
  text('picture'),
  text('website'),
  text('email'),
  bool('email_verified'),
  text('gender'),
  text('birthdate', '10', '10'),
  text('zoneinfo'),
  text('locale'),
  text('phone_number'),
  bool('phone_number_verified'),
  text('address'),
  {
    Name: 'updated_at',
    AttributeDataType: 'Number',
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    NumberAttributeConstraints: { MinValue: '0' },
  },
  { Name: 'identities', AttributeDataType: 'String', DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: {} },
];

export const STANDARD_NAMES: ReadonlySet<string> = new Set(STANDARD_ATTRIBUTES.map((a) => a.Name));

/** Attributes ListUsers can filter on, mapped to their indexed store column. */
export const SEARCHABLE = {
  username: 'username_key',
  email: 'email',
  phone_number: 'phone_number',
  name: 'name',
  given_name: 'given_name',
  family_name: 'family_name',
  preferred_username: 'preferred_username',
  'cognito:user_status': 'status',
  status: 'enabled',
  sub: 'id',
} as const;
