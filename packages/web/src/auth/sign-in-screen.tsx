/** Sign-in: email and password; the server's reason is shown as it is (wrong password, lockout). */
import {
  Alert,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  TextInput,
  Title,
  Text,
} from '@mantine/core';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error.ts';
import { useSession, useSignIn } from './use-session.ts';

function safeNext(next: string | null): string {
  // Only a path inside the console: never an open redirect to another origin.
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/overview';
}

export function SignInScreen() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = safeNext(params.get('next'));

  if (session.data) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => void navigate(next, { replace: true }) });
  };
  const error = signIn.error;
  const lockedOut = error instanceof ApiError && error.code === 'rate_limited';

  return (
    <Center component="main" mih="100vh" p="md">
      <Paper
        withBorder
        shadow="sm"
        p="xl"
        w={380}
        component="form"
        onSubmit={submit}
        aria-labelledby="sign-in-title"
      >
        <Stack>
          <div>
            <Title order={1} size="h2" id="sign-in-title">
              Sign in to Cordon
            </Title>
            <Text size="sm" c="dimmed">
              Incident response and containment
            </Text>
          </div>
          {error && (
            <Alert
              color={lockedOut ? 'orange' : 'red'}
              title={lockedOut ? 'Signing in is locked for now' : 'Sign-in failed'}
              role="alert"
            >
              {error.message}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            data-autofocus
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={signIn.isPending}>
            Sign in
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
