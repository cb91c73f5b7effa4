export const roles = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export const roleLabels: Record<Role, string> = {
  agent: 'Agent',
  supervisor: 'Supervisor',
  admin: 'Admin',
};
