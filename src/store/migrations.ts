import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { StoreDialect } from './dialect.js';

/**
 * Versioned schema migrations, run at start-up (Kysely's Migrator takes a lock, so several nodes
 * starting at once on PostgreSQL apply each migration exactly once). Never edit a released migration:
 * add a new one.
 */
function migrations(d: StoreDialect): Record<string, Migration> {
  const text = d.sortableText;
  return {
    '0001_directory': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('server_meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('access_keys')
          .addColumn('access_key_id', 'text', (c) => c.primaryKey())
          .addColumn('secret_enc', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('description', 'text')
          .execute();
        await db.schema
          .createTable('user_pools')
          .addColumn('id', text, (c) => c.primaryKey())
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('doc', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('user_pools_region').on('user_pools').columns(['region', 'id']).execute();
        await db.schema
          .createTable('user_pool_clients')
          .addColumn('client_id', text, (c) => c.primaryKey())
          .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
          .addColumn('client_name', 'text', (c) => c.notNull())
          .addColumn('doc', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('user_pool_clients_pool')
          .on('user_pool_clients')
          .columns(['pool_id', 'client_id'])
          .execute();
        await db.schema
          .createTable('client_secrets')
          .addColumn('secret_id', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) =>
            c.notNull().references('user_pool_clients.client_id').onDelete('cascade'),
          )
          .addColumn('secret_enc', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('client_secrets_client').on('client_secrets').column('client_id').execute();

        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
          .addColumn('username', 'text', (c) => c.notNull())
          .addColumn('username_key', text, (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('enabled', 'smallint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('password_set_at', 'bigint')
          .addColumn('attributes', 'text', (c) => c.notNull())
          .addColumn('email', text)
          .addColumn('phone_number', text)
          .addColumn('name', text)
          .addColumn('given_name', text)
          .addColumn('family_name', text)
          .addColumn('preferred_username', text)
          .addColumn('tokens_revoked_before', 'bigint')
          .addUniqueConstraint('users_pool_username', ['pool_id', 'username_key'])
          .execute();
        // ListUsers: every searchable attribute gets (pool, value, username_key), serving both `=` and
        // `^=` (a byte-wise range scan) with keyset pagination on username_key.
        for (const col of ['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username', 'status', 'enabled']) {
          await db.schema
            .createIndex(`users_${col}`)
            .on('users')
            .columns(['pool_id', col, 'username_key'])
            .execute();
        }
        await db.schema
          .createTable('user_aliases')
          .addColumn('pool_id', 'text', (c) => c.notNull())
          .addColumn('alias_kind', 'text', (c) => c.notNull())
          .addColumn('alias_key', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addPrimaryKeyConstraint('user_aliases_pk', ['pool_id', 'alias_kind', 'alias_key'])
          .execute();
        await db.schema.createIndex('user_aliases_user').on('user_aliases').column('user_id').execute();

        await db.schema
          .createTable('groups')
          .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
          .addColumn('group_name', text, (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('role_arn', 'text')
          .addColumn('precedence', 'integer')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('groups_pk', ['pool_id', 'group_name'])
          .execute();
        await db.schema
          .createTable('user_groups')
          .addColumn('pool_id', 'text', (c) => c.notNull())
          .addColumn('group_name', text, (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addPrimaryKeyConstraint('user_groups_pk', ['pool_id', 'group_name', 'user_id'])
          .addForeignKeyConstraint('user_groups_group', ['pool_id', 'group_name'], 'groups', ['pool_id', 'group_name'], (c) =>
            c.onDelete('cascade'),
          )
          .execute();
        await db.schema.createIndex('user_groups_user').on('user_groups').columns(['user_id', 'group_name']).execute();

        await db.schema
          .createTable('messages')
          .addColumn('seq', d.serialKey, (c) => (d.kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('pool_id', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('destination', 'text', (c) => c.notNull())
          .addColumn('subject', 'text')
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('username', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('messages_pool').on('messages').columns(['pool_id', 'seq']).execute();
      },
    },
    // Per-pool SAML signing certificate (GetSigningCertificate). The private key is sealed with the server key.
    '0002_pool_certificates': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('pool_certificates')
          .addColumn('pool_id', 'text', (c) => c.primaryKey().references('user_pools.id').onDelete('cascade'))
          .addColumn('certificate', 'text', (c) => c.notNull())
          .addColumn('private_key_enc', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    // One-time codes sent to users (password reset first). Only an Argon2id hash of the code is kept.
    '0003_users_codes': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('user_codes')
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('code_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('user_codes_pk', ['user_id', 'purpose'])
          .execute();
      },
    },
    // Token signing keys per pool and use (ID / access), and refresh-token families (issue 3). A key's
    // (pool, use, generation) is its identity: the first insert of a generation wins, which makes lazy
    // creation and rotation race-free across nodes. Private keys are sealed with the server key.
    '0004_tokens': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('signing_keys')
          .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
          .addColumn('token_use', 'text', (c) => c.notNull())
          .addColumn('generation', 'integer', (c) => c.notNull())
          .addColumn('kid', 'text', (c) => c.notNull().unique())
          .addColumn('public_jwk', 'text', (c) => c.notNull())
          .addColumn('private_key_enc', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('retired_at', 'bigint')
          .addPrimaryKeyConstraint('signing_keys_pk', ['pool_id', 'token_use', 'generation'])
          .execute();
        await db.schema
          .createTable('refresh_tokens')
          .addColumn('origin_jti', 'text', (c) => c.primaryKey())
          .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
          .addColumn('client_id', 'text', (c) => c.notNull().references('user_pool_clients.client_id').onDelete('cascade'))
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('revoked_at', 'bigint')
          .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('rotated_at', 'bigint')
          .execute();
        await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute();
        await db.schema.createIndex('refresh_tokens_client').on('refresh_tokens').column('client_id').execute();
      },
    },
    // Sign-in (issue 3): each user's SRP salt and sealed verifier beside the Argon2id hash; one-time states
    // already used (SRP secret blocks, challenge sessions); failed sign-ins for the lockout.
    '0005_srp_credentials': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('users').addColumn('srp_salt', 'text').execute();
        await db.schema.alterTable('users').addColumn('srp_verifier_enc', 'text').execute();
        await db.schema
          .createTable('auth_states_used')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('auth_states_used_expiry').on('auth_states_used').column('expires_at').execute();
        await db.schema
          .createTable('sign_in_failures')
          .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
          .addColumn('locked_until', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    // Self-service codes (issue 3): how many codes a user asked for lately, and values awaiting verification.
    '0006_code_requests': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('code_requests')
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('window_start', 'bigint', (c) => c.notNull())
          .addColumn('requests', 'integer', (c) => c.notNull())
          .addColumn('pending_value', 'text')
          .addPrimaryKeyConstraint('code_requests_pk', ['user_id', 'purpose'])
          .execute();
      },
    },
    // Replaced passwords for PasswordHistorySize (issue 3): their Argon2id hashes only.
    '0007_password_history': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('password_history')
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('replaced_at', 'bigint', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('password_history_pk', ['user_id', 'replaced_at'])
          .execute();
      },
    },
    // MFA (issue 4): each user's MFA settings and TOTP secret (sealed; the pending one until VerifySoftwareToken,
    // the last accepted time step against replay).
    '0011_user_mfa': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('user_mfa')
          .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
          .addColumn('sms_enabled', 'integer', (c) => c.notNull())
          .addColumn('totp_enabled', 'integer', (c) => c.notNull())
          .addColumn('email_enabled', 'integer', (c) => c.notNull())
          .addColumn('preferred', 'text')
          .addColumn('totp_secret_enc', 'text')
          .addColumn('totp_pending_enc', 'text')
          .addColumn('totp_last_step', 'bigint')
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    // OAuth (issue 6): user pool domains (prefix or custom; the name is the key, one of each kind per pool)
    // and resource servers with their custom scopes (JSON list of {ScopeName, ScopeDescription}).
    '0008_oauth': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('user_pool_domains')
          .addColumn('domain', 'text', (c) => c.primaryKey())
          .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('doc', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('user_pool_domains_pool_kind').unique().on('user_pool_domains').columns(['pool_id', 'kind']).execute();
        await db.schema
          .createTable('resource_servers')
          .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
          .addColumn('identifier', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('resource_servers_pk', ['pool_id', 'identifier'])
          .execute();
      },
    },
    // OAuth (issue 6): hosted-page branding per pool ('ALL') or app client (SetUICustomization); the logo as base64.
    '0013_ui_customizations': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('ui_customizations')
          .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('css', 'text')
          .addColumn('image', 'text')
          .addColumn('image_type', 'text')
          .addColumn('css_version', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('ui_customizations_pk', ['pool_id', 'client_id'])
          .execute();
      },
    },
    // OAuth (issue 6): managed login branding styles, one per app client (CreateManagedLoginBranding); `settings`
    // the customized Settings JSON, `assets` the JSON list of AssetType with base64 Bytes.
    '0014_managed_login_brandings': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('managed_login_brandings')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('use_cognito_provided', 'integer', (c) => c.notNull())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('assets', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('managed_login_brandings_client', ['pool_id', 'client_id'])
          .execute();
      },
    },
    // Threat protection (issue 4): risk configurations per pool and client, authentication events with their
    // risk decisions and feedback, and the IPs and devices each user signed in from (hashed).
    '0012_threat_protection': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('risk_configurations')
          .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('doc', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('risk_configurations_pk', ['pool_id', 'client_id'])
          .execute();
        await db.schema
          .createTable('auth_events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('pool_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('event_type', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('response', 'text', (c) => c.notNull())
          .addColumn('risk_decision', 'text', (c) => c.notNull())
          .addColumn('risk_level', 'text')
          .addColumn('compromised', 'integer', (c) => c.notNull())
          .addColumn('challenges', 'text', (c) => c.notNull())
          .addColumn('ip_address', 'text')
          .addColumn('device_name', 'text')
          .addColumn('feedback_value', 'text')
          .addColumn('feedback_provider', 'text')
          .addColumn('feedback_at', 'bigint')
          .execute();
        await db.schema.createIndex('auth_events_user').on('auth_events').columns(['user_id', 'created_at', 'id']).execute();
        await db.schema
          .createTable('sign_in_contexts')
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('value_key', 'text', (c) => c.notNull())
          .addColumn('last_seen', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('sign_in_contexts_pk', ['user_id', 'kind', 'value_key'])
          .execute();
      },
    },
    // Passkeys (issue 4): WebAuthn credentials per user. The credential id is unique within a pool; the
    // public key is the COSE key (base64url); sign_count moves only forward (clone detection).
    '0009_webauthn_credentials': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('webauthn_credentials')
          .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
          .addColumn('credential_id', text, (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('public_key', 'text', (c) => c.notNull())
          .addColumn('sign_count', 'bigint', (c) => c.notNull())
          .addColumn('transports', 'text', (c) => c.notNull())
          .addColumn('attachment', 'text')
          .addColumn('friendly_name', 'text', (c) => c.notNull())
          .addColumn('rp_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_used_at', 'bigint')
          .addPrimaryKeyConstraint('webauthn_credentials_pk', ['pool_id', 'credential_id'])
          .execute();
        await db.schema.createIndex('webauthn_credentials_user').on('webauthn_credentials').columns(['user_id', 'created_at', 'credential_id']).execute();
      },
    },
    // Devices (issue 4): the devices a sign-in handed a key to (NewDeviceMetadata), their SRP salt and sealed
    // verifier once confirmed (ConfirmDevice), the remembered status and the dates DeviceType reports.
    '0010_devices': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('devices')
          .addColumn('device_key', text, (c) => c.primaryKey())
          .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('group_key', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('name', 'text')
          .addColumn('srp_salt', 'text')
          .addColumn('srp_verifier_enc', 'text')
          .addColumn('last_ip', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('last_authenticated_at', 'bigint')
          .execute();
        await db.schema.createIndex('devices_user_status').on('devices').columns(['user_id', 'status', 'device_key']).execute();
      },
    },
  };
}

/** Names of the migrations already applied, or undefined when the migration table does not exist yet. */
async function appliedMigrations(d: StoreDialect): Promise<Set<string> | undefined> {
  try {
    const rows = await sql<{ name: string }>`select name from tessera_migrations`.execute(d.db);
    return new Set(rows.rows.map((r) => r.name));
  } catch {
    return undefined;
  }
}

export async function migrateToLatest(d: StoreDialect): Promise<string[]> {
  const all = migrations(d);
  // Fast path for the usual start: everything applied. Kysely's Migrator would inspect every table and take
  // its lock first, which was a fifth of start-up.
  const applied = await appliedMigrations(d);
  if (applied && Object.keys(all).every((name) => applied.has(name))) return [];
  const provider: MigrationProvider = { getMigrations: async () => all };
  const migrator = new Migrator({ db: d.db, provider, migrationTableName: 'tessera_migrations', migrationLockTableName: 'tessera_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
