import { CertificateRepository } from './repositories/certificates.js';
import { CodeRepository } from './repositories/codes.js';
import { openPostgres, openSqlite, type StoreDialect } from './dialect.js';
import { GroupRepository } from './repositories/groups.js';
import { KeyRepository } from './repositories/keys.js';
import { MessageRepository } from './repositories/messages.js';
import { migrateToLatest } from './migrations.js';
import { PasswordHistoryRepository } from './repositories/password-history.js';
import { OAuthRepository } from './repositories/oauth.js';
import { PoolRepository } from './repositories/pools.js';
import { SignInRepository } from './repositories/sign-in.js';
import { TokenRepository } from './repositories/tokens.js';
import { UserRepository } from './repositories/users.js';
import { UserMfaRepository } from './repositories/user-mfa.js';
import { DeviceRepository } from './repositories/devices.js';
import { WebAuthnRepository } from './repositories/webauthn.js';
import { RiskRepository } from './repositories/risk.js';
import { AuthEventRepository } from './repositories/auth-events.js';

/** The one storage interface the services see; the dialect underneath is SQLite or PostgreSQL. */
export class Store {
  readonly keys: KeyRepository;
  readonly pools: PoolRepository;
  readonly users: UserRepository;
  readonly groups: GroupRepository;
  readonly messages: MessageRepository;
  readonly certificates: CertificateRepository;
  readonly signIn: SignInRepository;
  readonly tokens: TokenRepository;
  readonly codes: CodeRepository;
  readonly passwordHistory: PasswordHistoryRepository;
  readonly userMfa: UserMfaRepository;
  readonly devices: DeviceRepository;
  readonly webauthn: WebAuthnRepository;
  readonly oauth: OAuthRepository;
  readonly risk: RiskRepository;
  readonly authEvents: AuthEventRepository;

  constructor(readonly dialect: StoreDialect) {
    this.keys = new KeyRepository(dialect.db);
    this.pools = new PoolRepository(dialect.db);
    this.users = new UserRepository(dialect);
    this.groups = new GroupRepository(dialect);
    this.messages = new MessageRepository(dialect.db);
    this.certificates = new CertificateRepository(dialect.db);
    this.signIn = new SignInRepository(dialect);
    this.tokens = new TokenRepository(dialect.db);
    this.codes = new CodeRepository(dialect.db);
    this.passwordHistory = new PasswordHistoryRepository(dialect.db);
    this.userMfa = new UserMfaRepository(dialect);
    this.devices = new DeviceRepository(dialect.db);
    this.webauthn = new WebAuthnRepository(dialect);
    this.oauth = new OAuthRepository(dialect.db);
    this.risk = new RiskRepository(dialect.db);
    this.authEvents = new AuthEventRepository(dialect.db);
  }

  get describe(): string {
    return this.dialect.describe;
  }

  close(): Promise<void> {
    return this.dialect.close();
  }
}

export interface StoreLocation {
  /** PostgreSQL URL; when absent, SQLite at `sqlitePath` (':memory:' for a throwaway store). */
  databaseUrl?: string;
  sqlitePath: string;
}

/** Opens the store and brings its schema up to date. */
export async function openStore(loc: StoreLocation): Promise<Store> {
  const dialect = loc.databaseUrl ? await openPostgres(loc.databaseUrl) : await openSqlite(loc.sqlitePath);
  try {
    await migrateToLatest(dialect);
  } catch (err) {
    await dialect.close();
    throw err;
  }
  return new Store(dialect);
}
