import type { Database } from 'better-sqlite3-multiple-ciphers';

export type UserRole = 'clinician' | 'auditor' | 'admin';

export interface UserRecord {
  id: string;
  displayName: string;
  role: UserRole;
  disabled: boolean;
  createdAt: string;
}

interface UserRow {
  id: string;
  display_name: string;
  role: UserRole;
  disabled: number;
  created_at: string;
}

const fromRow = (r: UserRow): UserRecord => ({
  id: r.id,
  displayName: r.display_name,
  role: r.role,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
});

export class UserRepository {
  constructor(private readonly db: Database) {}

  insert(user: UserRecord): void {
    this.db
      .prepare('INSERT INTO users (id, display_name, role, disabled, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(user.id, user.displayName, user.role, user.disabled ? 1 : 0, user.createdAt);
  }

  get(id: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && fromRow(row);
  }
}
