import { describe, expect, it } from 'vitest';
import { parseOne } from '../testing/test-support.ts';

describe('Linux auth via syslog', () => {
  it('sshd accepted password (file line) → success, user, source', () => {
    const e = parseOne(
      'Oct 11 22:14:15 web-01 sshd[28871]: Accepted password for alice from 203.0.113.5 port 51234 ssh2',
    );
    expect(e).toMatchObject({
      '@timestamp': '2024-10-11T22:14:15.000Z',
      event: {
        action: 'ssh_login',
        outcome: 'success',
        category: ['authentication', 'session'],
        dataset: 'system.auth',
      },
      host: { name: 'web-01' },
      user: { name: 'alice' },
      source: { ip: '203.0.113.5', port: 51234 },
      process: { name: 'sshd', pid: 28871 },
      log_source: { product: 'linux', service: 'sshd' },
      fields: {
        auth_method: 'password',
        invalid_user: false,
        hostname: 'web-01',
        app_name: 'sshd',
      },
      related: { ip: ['203.0.113.5'], user: ['alice'], hosts: ['web-01'] },
    });
    expect(e.message).toBe('Accepted password for alice from 203.0.113.5 port 51234 ssh2');
  });

  it('sshd accepted publickey keeps the key fingerprint', () => {
    const e = parseOne(
      '<38>Oct 11 22:14:15 web-01 sshd[991]: Accepted publickey for deploy from 2001:db8::7 port 40122 ssh2: ED25519 SHA256:Qm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA',
    );
    expect(e).toMatchObject({
      event: { outcome: 'success' },
      source: { ip: '2001:db8::7', port: 40122 },
      fields: {
        auth_method: 'publickey',
        key_type: 'ED25519',
        key_fingerprint: 'SHA256:Qm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA',
      },
      log: { syslog: { facility: { code: 4, name: 'auth' }, severity: { code: 6, name: 'info' } } },
    });
  });

  it.each([
    ['Failed password for root from 198.51.100.23 port 52113 ssh2', 'ssh_login', 'root', false],
    [
      'Failed password for invalid user admin from 198.51.100.23 port 52114 ssh2',
      'ssh_login',
      'admin',
      true,
    ],
    [
      'Failed publickey for git from 198.51.100.23 port 52115 ssh2: RSA SHA256:abc',
      'ssh_login',
      'git',
      false,
    ],
    ['Invalid user oracle from 198.51.100.23 port 52116', 'ssh_invalid_user', 'oracle', true],
    [
      'error: maximum authentication attempts exceeded for root from 198.51.100.23 port 52117 ssh2 [preauth]',
      'ssh_max_auth_attempts',
      'root',
      false,
    ],
  ])('sshd failure: %s', (message, action, user, invalid) => {
    const e = parseOne(`Oct 11 22:14:15 bastion sshd[4242]: ${message}`);
    expect(e).toMatchObject({
      event: { action, outcome: 'failure' },
      user: { name: user },
      source: { ip: '198.51.100.23' },
      fields: { invalid_user: invalid },
    });
  });

  it.each([
    [
      'Connection closed by authenticating user root 198.51.100.23 port 52113 [preauth]',
      'root',
      true,
    ],
    ['Connection closed by invalid user admin 198.51.100.23 port 52114 [preauth]', 'admin', true],
    ['Disconnected from user alice 198.51.100.23 port 51234', 'alice', false],
    ['Received disconnect from 198.51.100.23 port 52113:11: Bye Bye [preauth]', undefined, true],
    [
      'Disconnecting invalid user admin 198.51.100.23 port 52114: Too many authentication failures [preauth]',
      'admin',
      true,
    ],
  ])('sshd disconnect: %s', (message, user, preauth) => {
    const e = parseOne(`Oct 11 22:14:15 bastion sshd[4242]: ${message}`);
    expect(e.event.action).toBe('ssh_disconnect');
    expect(e.event.outcome).toBeUndefined();
    expect(e.source?.ip).toBe('198.51.100.23');
    expect(e.user?.name).toBe(user);
    expect(e.fields.preauth).toBe(preauth);
  });

  it('PAM authentication failure from sshd, with rhost', () => {
    const e = parseOne(
      'Oct 11 22:14:15 bastion sshd[4242]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.23  user=root',
    );
    expect(e).toMatchObject({
      event: { action: 'pam_authentication_failure', outcome: 'failure' },
      user: { name: 'root' },
      source: { ip: '198.51.100.23' },
      fields: { pam_service: 'sshd', pam_tty: 'ssh', pam_rhost: '198.51.100.23' },
    });
  });

  it('sudo command and sudo failures', () => {
    const ok = parseOne(
      'Oct 11 22:14:15 db-02 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt update',
    );
    expect(ok).toMatchObject({
      event: { action: 'sudo_command', outcome: 'success' },
      user: { name: 'alice', target: { name: 'root' } },
      log_source: { product: 'linux', service: 'sudo' },
      fields: { sudo_command: '/usr/bin/apt update', sudo_pwd: '/home/alice' },
    });
    const denied = parseOne(
      'Oct 11 22:14:15 db-02 sudo:      bob : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/sh',
    );
    expect(denied).toMatchObject({
      event: { action: 'sudo_denied', outcome: 'failure' },
      user: { name: 'bob' },
      fields: { sudo_error: 'user NOT in sudoers' },
    });
    const wrong = parseOne(
      'Oct 11 22:14:15 db-02 sudo:    alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash',
    );
    expect(wrong.event.outcome).toBe('failure');
    const pam = parseOne(
      'Oct 11 22:14:15 db-02 sudo: pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice',
    );
    expect(pam).toMatchObject({ event: { outcome: 'failure' }, user: { name: 'alice' } });
    expect(pam.source).toBeUndefined();
  });

  it('su success, failure and sessions', () => {
    expect(
      parseOne('Oct 11 22:14:15 db-02 su[5123]: FAILED SU (to root) alice on pts/0'),
    ).toMatchObject({
      event: { action: 'su', outcome: 'failure' },
      user: { name: 'alice', target: { name: 'root' } },
      log_source: { product: 'linux', service: 'auth' },
    });
    expect(parseOne('Oct 11 22:14:15 db-02 su[5124]: (to root) alice on pts/0')).toMatchObject({
      event: { action: 'su', outcome: 'success' },
      user: { name: 'alice', target: { name: 'root' } },
    });
    expect(
      parseOne(
        'Oct 11 22:14:15 db-02 su[5124]: pam_unix(su:session): session opened for user root(uid=0) by alice(uid=1000)',
      ),
    ).toMatchObject({
      event: { action: 'session_opened' },
      user: { name: 'root' },
      fields: { pam_by: 'alice' },
    });
  });

  it('useradd, groupadd, usermod, userdel, passwd', () => {
    expect(
      parseOne(
        'Oct 11 22:14:15 web-01 useradd[7001]: new user: name=backdoor, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/0',
      ),
    ).toMatchObject({
      event: { action: 'user_created', category: ['iam'], type: ['user', 'creation'] },
      user: { target: { name: 'backdoor' } },
      fields: { uid: 0, gid: 0, shell: '/bin/bash' },
    });
    expect(
      parseOne(
        'Oct 11 22:14:15 web-01 groupadd[7002]: group added to /etc/group: name=devs, GID=1002',
      ),
    ).toMatchObject({
      event: { action: 'group_created' },
      fields: { group_name: 'devs', gid: 1002 },
    });
    expect(
      parseOne('Oct 11 22:14:15 web-01 groupadd[7002]: new group: name=devs, GID=1002'),
    ).toMatchObject({
      event: { action: 'group_created' },
    });
    expect(
      parseOne("Oct 11 22:14:15 web-01 usermod[7003]: add 'alice' to group 'sudo'"),
    ).toMatchObject({
      event: { action: 'user_added_to_group' },
      fields: { group_name: 'sudo' },
    });
    expect(parseOne("Oct 11 22:14:15 web-01 userdel[7004]: delete user 'bob'")).toMatchObject({
      event: { action: 'user_deleted' },
      user: { target: { name: 'bob' } },
    });
    expect(
      parseOne(
        'Oct 11 22:14:15 web-01 passwd[7005]: pam_unix(passwd:chauthtok): password changed for alice',
      ),
    ).toMatchObject({
      event: { action: 'password_changed' },
    });
  });

  it('keeps unknown auth-program messages with their log source, and other programs as syslog', () => {
    const e = parseOne('Oct 11 22:14:15 web-01 sshd[1]: Server listening on 0.0.0.0 port 22.');
    expect(e.log_source).toEqual({ product: 'linux', service: 'sshd' });
    expect(e.event.action).toBeUndefined();
    const cron = parseOne(
      'Oct 11 22:14:15 web-01 CRON[2]: (root) CMD (run-parts /etc/cron.hourly)',
    );
    expect(cron).toMatchObject({
      log_source: { product: 'linux', service: 'syslog' },
      event: { dataset: 'system.syslog' },
    });
  });
});
