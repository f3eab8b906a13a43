import type { Generated, Selectable } from 'kysely';

/**
 * Table shapes as Kysely sees them. Times are epoch milliseconds (bigint in PostgreSQL, parsed to number).
 * JSON documents are stored as text in both dialects so that one codebase serves both.
 */
export interface Database {
  server_meta: { key: string; value: string };
  access_keys: { access_key_id: string; secret_enc: string; created_at: number; description: string | null };
  user_pools: {
    id: string;
    region: string;
    name: string;
    /** UserPoolType members that are configuration (JSON), without ids, dates and counts. */
    doc: string;
    created_at: number;
    updated_at: number;
  };
  user_pool_clients: {
    client_id: string;
    pool_id: string;
    client_name: string;
    doc: string;
    created_at: number;
    updated_at: number;
  };
  client_secrets: { secret_id: string; client_id: string; secret_enc: string; created_at: number };
  users: {
    id: string; // the user's `sub`
    pool_id: string;
    username: string;
    username_key: string;
    status: string;
    enabled: number;
    created_at: number;
    updated_at: number;
    password_hash: string | null;
    password_set_at: number | null;
    attributes: string; // JSON object name -> value
    email: string | null;
    phone_number: string | null;
    name: string | null;
    given_name: string | null;
    family_name: string | null;
    preferred_username: string | null;
    tokens_revoked_before: number | null;
    /** SRP salt (hex of the integer's toBytes form) and verifier v = g^x mod N sealed with the server key. */
    srp_salt: string | null;
    srp_verifier_enc: string | null;
  };
  user_aliases: { pool_id: string; alias_kind: string; alias_key: string; user_id: string };
  groups: {
    pool_id: string;
    group_name: string;
    description: string | null;
    role_arn: string | null;
    precedence: number | null;
    created_at: number;
    updated_at: number;
  };
  user_groups: { pool_id: string; group_name: string; user_id: string };
  messages: {
    seq: Generated<number>;
    id: string;
    pool_id: string | null;
    created_at: number;
    channel: string;
    destination: string;
    subject: string | null;
    body: string;
    purpose: string;
    username: string | null;
    status: string;
  };
  /** A pool's SAML signing certificate: base64 DER, and the PKCS#8 private key sealed with the server key. */
  pool_certificates: { pool_id: string; certificate: string; private_key_enc: string; created_at: number; expires_at: number };
  /** One pending one-time code per user and purpose (e.g. FORGOT_PASSWORD); `code_hash` is Argon2id. */
  user_codes: {
    user_id: string;
    purpose: string;
    code_hash: string;
    created_at: number;
    expires_at: number;
    attempts: Generated<number>;
  };
  /** RSA signing keys of a pool, one line per (use, generation); the newest unretired generation signs. */
  signing_keys: {
    pool_id: string;
    token_use: string;
    generation: number;
    kid: string;
    public_jwk: string;
    private_key_enc: string;
    created_at: number;
    retired_at: number | null;
  };
  /**
   * A refresh-token family: one sign-in (origin_jti) and every token refreshed from it. `generation` counts
   * rotations (the token carries the generation it was issued at); `rotated_at` starts the grace period of
   * the previous one.
   */
  refresh_tokens: {
    origin_jti: string;
    pool_id: string;
    client_id: string;
    user_id: string;
    created_at: number;
    expires_at: number;
    revoked_at: number | null;
    generation: Generated<number>;
    rotated_at: number | null;
  };
  /**
   * One-time sign-in states already used (SRP secret blocks, challenge sessions), kept until they would
   * have expired anyway; the primary key makes "use once" a constraint.
   */
  auth_states_used: { id: string; expires_at: number };
  /** Failed sign-ins of a user for the lockout; `locked_until` in epoch ms. */
  sign_in_failures: { user_id: string; failures: number; last_failure_at: number; locked_until: number };
  /**
   * Requests for one-time codes per user and purpose in the current window (the resend limit), and a value
   * waiting for verification (an email or phone number that replaces the old one only once verified).
   */
  code_requests: { user_id: string; purpose: string; window_start: number; requests: number; pending_value: string | null };
  /** Argon2id hashes of passwords a user replaced (PasswordHistorySize). */
  password_history: { user_id: string; replaced_at: number; password_hash: string };
  /**
   * A user's MFA settings: factors enabled (0/1), the preferred one ('SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP'),
   * the verified TOTP secret and one awaiting VerifySoftwareToken (both sealed), the last TOTP time step used.
   */
  user_mfa: {
    user_id: string;
    sms_enabled: number;
    totp_enabled: number;
    email_enabled: number;
    preferred: string | null;
    totp_secret_enc: string | null;
    totp_pending_enc: string | null;
    totp_last_step: number | null;
    updated_at: number;
  };
  /**
   * Users' devices: `status` 'new' (key handed out, not confirmed), 'remembered' or 'not_remembered'; the SRP
   * salt (hex of toBytes) and the verifier sealed with the server key, both null until ConfirmDevice.
   */
  devices: {
    device_key: string;
    pool_id: string;
    user_id: string;
    group_key: string;
    status: string;
    name: string | null;
    srp_salt: string | null;
    srp_verifier_enc: string | null;
    last_ip: string | null;
    created_at: number;
    updated_at: number;
    last_authenticated_at: number | null;
  };
  /** User pool domains: `kind` 'prefix' or 'custom'; `doc` holds CustomDomainConfig, ManagedLoginVersion, Routing (JSON). */
  user_pool_domains: { domain: string; pool_id: string; kind: string; doc: string; created_at: number; updated_at: number };
  /** Resource servers; `scopes` is the JSON list of ResourceServerScopeType. */
  resource_servers: { pool_id: string; identifier: string; name: string; scopes: string; created_at: number; updated_at: number };
  /** Hosted-page branding (SetUICustomization): `client_id` 'ALL' for the pool; `image` base64 of a PNG or JPEG. */
  ui_customizations: {
    pool_id: string;
    client_id: string;
    css: string | null;
    image: string | null;
    image_type: string | null;
    css_version: string;
    created_at: number;
    updated_at: number;
  };
  /** Managed login branding styles, one per app client; `settings` Settings JSON, `assets` AssetType JSON list (base64 Bytes). */
  managed_login_brandings: {
    id: string;
    pool_id: string;
    client_id: string;
    use_cognito_provided: number;
    settings: string;
    assets: string;
    created_at: number;
    updated_at: number;
  };
  /** Threat-protection settings per pool (`client_id` 'ALL') and per overriding app client: RiskConfigurationType JSON. */
  risk_configurations: { pool_id: string; client_id: string; doc: string; updated_at: number };
  /**
   * Authentication events (AuthEventType): `response` Pass / Fail / InProgress, the risk decision and level,
   * `challenges` the JSON list of ChallengeResponseType, the request context, and the feedback given.
   */
  auth_events: {
    id: string;
    pool_id: string;
    user_id: string;
    event_type: string;
    created_at: number;
    response: string;
    risk_decision: string;
    risk_level: string | null;
    compromised: number;
    challenges: string;
    ip_address: string | null;
    device_name: string | null;
    feedback_value: string | null;
    feedback_provider: string | null;
    feedback_at: number | null;
  };
  /** Where a user signed in successfully from: `kind` 'ip' or 'device', `value_key` a SHA-256 of the value. */
  sign_in_contexts: { user_id: string; kind: string; value_key: string; last_seen: number };
  /** Passkeys: `public_key` the COSE key and `credential_id` base64url; `transports` a JSON list. */
  webauthn_credentials: {
    pool_id: string;
    credential_id: string;
    user_id: string;
    public_key: string;
    sign_count: number;
    transports: string;
    attachment: string | null;
    friendly_name: string;
    rp_id: string;
    created_at: number;
    last_used_at: number | null;
  };
}

export type UserRow = Database['users'];
/** A user as listings return it: everything but the password credentials, which listings never read. */
export type ListedUser = Omit<UserRow, 'password_hash' | 'srp_salt' | 'srp_verifier_enc'>;
export type PoolRow = Database['user_pools'];
export type ClientRow = Database['user_pool_clients'];
export type GroupRow = Database['groups'];
export type MessageRow = Selectable<Database['messages']>;
export type SigningKeyRow = Database['signing_keys'];
export type RefreshTokenRow = Selectable<Database['refresh_tokens']>;
export type AuthEventRow = Database['auth_events'];
export type WebAuthnCredentialRow = Database['webauthn_credentials'];
