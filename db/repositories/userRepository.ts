import type { Database } from 'better-sqlite3-multiple-ciphers';

export type UserRole = 'clinician' | 'auditor' | 'admin';

export interface UserRecord {
  id: string;
  displayName: string;
  /** Unique; what the user types at the lock screen. */
  login: string;
  role: UserRole;
  disabled: boolean;
  createdAt: string;
}

interface UserRow {
  id: string;
  display_name: string;
  login: string;
  role: UserRole;
  disabled: number;
  created_at: string;
}

const fromRow = (r: UserRow): UserRecord => ({
  id: r.id,
  displayName: r.display_name,
  login: r.login,
  role: r.role,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
});

export class UserRepository {
  constructor(private readonly db: Database) {}

  insert(user: UserRecord): void {
    this.db
      .prepare('INSERT INTO users (id, display_name, login, role, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(user.id, user.displayName, user.login, user.role, user.disabled ? 1 : 0, user.createdAt);
  }

  get(id: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && fromRow(row);
  }

  byLogin(login: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE login = ?').get(login) as UserRow | undefined;
    return row && fromRow(row);
  }

  list(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY display_name, login').all() as UserRow[]).map(fromRow);
  }

  setDisabled(id: string, disabled: boolean): void {
    this.db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
  }
}
