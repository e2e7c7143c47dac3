/** Sign-in, tenants, members and API tokens. */
import { Type } from '@sinclair/typebox';
import { Role, Timestamp, Uuid, closed } from './common.schema.ts';

export const LoginRequest = closed({
  email: Type.String({ minLength: 3, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

export const UserView = closed({
  id: Uuid,
  email: Type.String(),
  displayName: Type.String(),
  platformAdmin: Type.Boolean(),
});

export const LoginResponse = closed({ user: UserView, csrfToken: Type.String() });

/** A platform admin lifts the sign-in lock of an account (every address). */
export const UnlockSignInRequest = closed({ email: Type.String({ minLength: 3, maxLength: 320 }) });
export const UnlockSignInResponse = closed({ email: Type.String(), wasRestricted: Type.Boolean() });

export const MeResponse = closed({
  kind: Type.Union([Type.Literal('user'), Type.Literal('token')]),
  user: Type.Optional(UserView),
  tenantId: Type.Optional(Uuid),
  role: Type.Optional(Role),
  memberships: Type.Array(closed({ tenantId: Uuid, role: Role })),
  /** The session's CSRF token when signed in with the cookie (a reloaded console needs it). */
  csrfToken: Type.Optional(Type.String()),
});

export const TenantView = closed({ id: Uuid, name: Type.String(), createdAt: Timestamp });
export const CreateTenantRequest = closed({ name: Type.String({ minLength: 1, maxLength: 200 }) });

export const MemberView = closed({
  userId: Uuid,
  email: Type.String(),
  displayName: Type.String(),
  role: Role,
});
export const AddMemberRequest = closed({
  email: Type.String({ minLength: 3, maxLength: 320 }),
  password: Type.String({ minLength: 12, maxLength: 1024 }),
  role: Role,
  displayName: Type.Optional(Type.String({ maxLength: 200 })),
});

export const TokenView = closed({
  id: Uuid,
  tenantId: Uuid,
  role: Role,
  name: Type.String(),
  createdBy: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
});
export const CreateTokenRequest = closed({
  role: Role,
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});
export const CreateTokenResponse = closed({
  token: Type.String({ description: 'shown once' }),
  record: TokenView,
});
