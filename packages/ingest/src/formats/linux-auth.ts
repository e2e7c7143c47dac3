/**
 * Linux authentication messages (auth.log / secure): OpenSSH's sshd, sudo, su, PAM, the shadow
 * tools (useradd, groupadd, userdel, usermod, passwd, chpasswd) and systemd-logind. Each
 * recognised message gets ECS facts the way Filebeat's system module reports them:
 * `event.category/type/action/outcome`, `user.name`, `source.ip/port`, plus `fields` with what
 * the message says under plain names (`auth_method`, `invalid_user`, `sudo_command` …).
 *
 * The SigmaHQ log source follows the program: `sshd` → service sshd, `sudo` → service sudo,
 * everything else here → service auth (auth.log). Unrecognised messages from these programs
 * still get the log source, just no ECS facts.
 */
import type { EventOutcome, LogSource } from '../ingest-event.ts';

export interface AuthFacts {
  readonly logSource: LogSource;
  readonly action?: string;
  readonly category?: readonly string[];
  readonly type?: readonly string[];
  readonly outcome?: EventOutcome;
  readonly userName?: string;
  readonly targetUserName?: string;
  readonly sourceIp?: string;
  readonly sourcePort?: number;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
}

const AUTH_PROGRAMS = new Set([
  'sshd',
  'sshd-session',
  'sudo',
  'su',
  'login',
  'useradd',
  'groupadd',
  'userdel',
  'groupdel',
  'usermod',
  'passwd',
  'chpasswd',
  'chage',
  'gpasswd',
  'systemd-logind',
  'unix_chkpwd',
  'polkitd',
  'dropbear',
]);

export function isAuthProgram(appName: string | undefined): boolean {
  return appName !== undefined && AUTH_PROGRAMS.has(appName);
}

const IP = String.raw`([0-9a-fA-F:.]+)`;
const SSH_LOGIN = new RegExp(
  String.raw`^(Accepted|Failed) (password|publickey|keyboard-interactive/pam|keyboard-interactive|hostbased|gssapi-with-mic|none) for (invalid user )?(\S*) from ${IP} port (\d+)(?: (ssh2))?(?:: (\S+) (\S+))?`,
);
const SSH_INVALID_USER = new RegExp(String.raw`^Invalid user (\S*) from ${IP}(?: port (\d+))?`);
const SSH_CLOSED = new RegExp(
  String.raw`^(Connection closed|Disconnected|Connection reset|Disconnecting) (?:by |from )?(?:(authenticating|invalid) user (\S*) |user (\S+) )?${IP} port (\d+)(.*)$`,
);
const SSH_RECEIVED_DISCONNECT = new RegExp(
  String.raw`^Received disconnect from ${IP} port (\d+):(\d+): ?(.*)$`,
);
const SSH_MAX_ATTEMPTS = new RegExp(
  String.raw`^(?:error: )?maximum authentication attempts exceeded for (invalid user )?(\S+) from ${IP} port (\d+)`,
);
const PAM_AUTH_FAILURE = /^pam_unix\(([\w-]+):auth\): authentication failure;(.*)$/;
const PAM_MORE_FAILURES = /^PAM (\d+) more authentication failures?;(.*)$/;
const PAM_SESSION =
  /^pam_unix\(([\w-]+):session\): session (opened|closed) for user (\S+?)(?:\(uid=\d+\))?(?: by (\S*?)(?:\(uid=\d+\))?)?$/;
const SUDO =
  /^\s*(\S+) : (?:(.*?) ; )?TTY=(\S+) ; PWD=(.*?) ; USER=(\S+) ;(?: GROUP=\S+ ;)?(?: ENV=.*? ;)? COMMAND=(.*)$/;
const SU_FAILED = /^FAILED SU \(to (\S+)\) (\S+) on (\S+)/;
const SU_OK =
  /^(?:Successful su for (\S+) by (\S+)|\+ (\S+) (\S+):(\S+)|\(to (\S+)\) (\S+) on (\S+))/;
const NEW_USER = /^new user: name=([^,]+), UID=(\d+), GID=(\d+), home=([^,]*), shell=([^,]*)/;
const NEW_GROUP =
  /^(?:new group: name=([^,]+), GID=(\d+)|group added to \S+: name=([^,]+), GID=(\d+))/;
const DELETE_USER = /^delete user '([^']+)'/;
const DELETE_GROUP = /^(?:removed group '([^']+)'|group '([^']+)' removed)/;
const ADD_TO_GROUP = /^add '([^']+)' to (?:shadow )?group '([^']+)'/;
const PASSWORD_CHANGED = /^(?:pam_unix\(\S+\): )?password changed for (\S+)/;
const LOGIND_SESSION = /^New session (\S+) of user (\S+?)\.?$/;
const DROPBEAR = new RegExp(
  String.raw`^(?:(Password|Pubkey) auth succeeded for '([^']+)'|Bad password attempt for '([^']+)') from ${IP}:(\d+)`,
);

export function linuxAuthFacts(appName: string, message: string): AuthFacts {
  const program = appName === 'sshd-session' ? 'sshd' : appName;
  const logSource: LogSource = {
    product: 'linux',
    service: program === 'sshd' || program === 'sudo' ? program : 'auth',
  };
  const facts = factsFor(program, message);
  return facts === undefined ? { logSource, fields: {} } : { logSource, ...facts };
}

type Facts = Omit<AuthFacts, 'logSource'>;

function factsFor(program: string, message: string): Facts | undefined {
  if (message.length > 4096) return undefined;
  if (program === 'sshd' || program === 'dropbear') {
    const ssh = sshFacts(message);
    if (ssh !== undefined) return ssh;
  }
  if (program === 'sudo') {
    const sudo = SUDO.exec(message);
    if (sudo !== null) {
      const problem = sudo[2];
      const failed = problem !== undefined && problem !== '';
      return {
        action: failed ? 'sudo_denied' : 'sudo_command',
        category: ['process', ...(failed ? ['authentication'] : [])],
        type: failed ? ['denied'] : ['start'],
        outcome: failed ? 'failure' : 'success',
        userName: sudo[1],
        targetUserName: sudo[5],
        fields: {
          sudo_user: sudo[1]!,
          sudo_tty: sudo[3]!,
          sudo_pwd: sudo[4]!,
          sudo_run_as: sudo[5]!,
          sudo_command: sudo[6]!,
          ...(failed ? { sudo_error: problem } : {}),
        },
      };
    }
  }
  const pamFailure = PAM_AUTH_FAILURE.exec(message) ?? PAM_MORE_FAILURES.exec(message);
  if (pamFailure !== null) {
    const kv = pamKeyValues(pamFailure[2]!);
    const rhost = kv.rhost === '' ? undefined : kv.rhost;
    return {
      action: 'pam_authentication_failure',
      category: ['authentication'],
      type: ['info'],
      outcome: 'failure',
      userName: kv.user !== undefined && kv.user !== '' ? kv.user : kv.ruser || undefined,
      ...(rhost !== undefined && isIp(rhost) ? { sourceIp: rhost } : {}),
      fields: {
        pam_service: PAM_AUTH_FAILURE.test(message) ? pamFailure[1]! : program,
        ...prefixed('pam_', kv),
      },
    };
  }
  const session = PAM_SESSION.exec(message);
  if (session !== null) {
    const opened = session[2] === 'opened';
    return {
      action: opened ? 'session_opened' : 'session_closed',
      category: ['session'],
      type: [opened ? 'start' : 'end'],
      userName: session[3],
      fields: { pam_service: session[1]!, ...(session[4] ? { pam_by: session[4] } : {}) },
    };
  }
  if (program === 'su') {
    const failed = SU_FAILED.exec(message);
    if (failed !== null) {
      return {
        action: 'su',
        category: ['authentication'],
        type: ['info'],
        outcome: 'failure',
        userName: failed[2],
        targetUserName: failed[1],
        fields: { su_target: failed[1]!, su_tty: failed[3]! },
      };
    }
    const ok = SU_OK.exec(message);
    if (ok !== null) {
      const target = ok[1] ?? ok[5] ?? ok[6]!;
      const by = ok[2] ?? ok[4] ?? ok[7]!;
      return {
        action: 'su',
        category: ['authentication'],
        type: ['start'],
        outcome: 'success',
        userName: by,
        targetUserName: target,
        fields: { su_target: target },
      };
    }
  }
  return accountFacts(message) ?? logindFacts(message);
}

function sshFacts(message: string): Facts | undefined {
  const login = SSH_LOGIN.exec(message);
  if (login !== null) {
    const success = login[1] === 'Accepted';
    const invalid = login[3] !== undefined;
    return {
      action: 'ssh_login',
      category: ['authentication', 'session'],
      type: success ? ['start'] : ['info'],
      outcome: success ? 'success' : 'failure',
      userName: login[4],
      sourceIp: login[5],
      sourcePort: Number(login[6]),
      fields: {
        auth_method: login[2]!,
        invalid_user: invalid,
        ...(login[8] === undefined ? {} : { key_type: login[8], key_fingerprint: login[9]! }),
      },
    };
  }
  const invalid = SSH_INVALID_USER.exec(message);
  if (invalid !== null) {
    return {
      action: 'ssh_invalid_user',
      category: ['authentication'],
      type: ['info'],
      outcome: 'failure',
      userName: invalid[1],
      sourceIp: invalid[2],
      ...(invalid[3] === undefined ? {} : { sourcePort: Number(invalid[3]) }),
      fields: { invalid_user: true },
    };
  }
  const maxAttempts = SSH_MAX_ATTEMPTS.exec(message);
  if (maxAttempts !== null) {
    return {
      action: 'ssh_max_auth_attempts',
      category: ['authentication'],
      type: ['info'],
      outcome: 'failure',
      userName: maxAttempts[2],
      sourceIp: maxAttempts[3],
      sourcePort: Number(maxAttempts[4]),
      fields: { invalid_user: maxAttempts[1] !== undefined },
    };
  }
  const closed = SSH_CLOSED.exec(message);
  if (closed !== null) {
    const preauth = closed[7]!.includes('[preauth]');
    return {
      action: 'ssh_disconnect',
      category: ['session', 'network'],
      type: ['end'],
      ...(closed[3] !== undefined || closed[4] !== undefined
        ? { userName: closed[3] ?? closed[4] }
        : {}),
      sourceIp: closed[5],
      sourcePort: Number(closed[6]),
      fields: {
        preauth,
        ...(closed[2] === 'invalid' ? { invalid_user: true } : {}),
        ...(closed[7]!.trim() !== ''
          ? { disconnect_reason: closed[7]!.replace('[preauth]', '').replace(/^:\s*/, '').trim() }
          : {}),
      },
    };
  }
  const received = SSH_RECEIVED_DISCONNECT.exec(message);
  if (received !== null) {
    return {
      action: 'ssh_disconnect',
      category: ['session', 'network'],
      type: ['end'],
      sourceIp: received[1],
      sourcePort: Number(received[2]),
      fields: {
        preauth: received[4]!.includes('[preauth]'),
        disconnect_code: Number(received[3]),
        disconnect_reason: received[4]!.replace('[preauth]', '').trim(),
      },
    };
  }
  const dropbear = DROPBEAR.exec(message);
  if (dropbear !== null) {
    const success = dropbear[1] !== undefined;
    return {
      action: 'ssh_login',
      category: ['authentication', 'session'],
      type: success ? ['start'] : ['info'],
      outcome: success ? 'success' : 'failure',
      userName: dropbear[2] ?? dropbear[3],
      sourceIp: dropbear[4],
      sourcePort: Number(dropbear[5]),
      fields: { auth_method: dropbear[1] === 'Pubkey' ? 'publickey' : 'password' },
    };
  }
  return undefined;
}

function accountFacts(message: string): Facts | undefined {
  const user = NEW_USER.exec(message);
  if (user !== null) {
    return {
      action: 'user_created',
      category: ['iam'],
      type: ['user', 'creation'],
      outcome: 'success',
      targetUserName: user[1],
      fields: {
        new_user: user[1]!,
        uid: Number(user[2]),
        gid: Number(user[3]),
        home: user[4]!,
        shell: user[5]!,
      },
    };
  }
  const group = NEW_GROUP.exec(message);
  if (group !== null) {
    return {
      action: 'group_created',
      category: ['iam'],
      type: ['group', 'creation'],
      outcome: 'success',
      fields: { group_name: (group[1] ?? group[3])!, gid: Number(group[2] ?? group[4]) },
    };
  }
  const deleted = DELETE_USER.exec(message);
  if (deleted !== null) {
    return {
      action: 'user_deleted',
      category: ['iam'],
      type: ['user', 'deletion'],
      outcome: 'success',
      targetUserName: deleted[1],
      fields: {},
    };
  }
  const deletedGroup = DELETE_GROUP.exec(message);
  if (deletedGroup !== null) {
    return {
      action: 'group_deleted',
      category: ['iam'],
      type: ['group', 'deletion'],
      outcome: 'success',
      fields: { group_name: (deletedGroup[1] ?? deletedGroup[2])! },
    };
  }
  const member = ADD_TO_GROUP.exec(message);
  if (member !== null) {
    return {
      action: 'user_added_to_group',
      category: ['iam'],
      type: ['user', 'change'],
      outcome: 'success',
      targetUserName: member[1],
      fields: { group_name: member[2]! },
    };
  }
  const password = PASSWORD_CHANGED.exec(message);
  if (password !== null) {
    return {
      action: 'password_changed',
      category: ['iam'],
      type: ['user', 'change'],
      outcome: 'success',
      targetUserName: password[1],
      fields: {},
    };
  }
  return undefined;
}

function logindFacts(message: string): Facts | undefined {
  const session = LOGIND_SESSION.exec(message);
  if (session === null) return undefined;
  return {
    action: 'session_opened',
    category: ['session'],
    type: ['start'],
    userName: session[2],
    fields: { session_id: session[1]! },
  };
}

/** `logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5  user=root` */
function pamKeyValues(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)=(\S*)/g)) result[m[1]!] = m[2]!;
  return result;
}

function prefixed(prefix: string, values: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== '') result[prefix + key] = value;
  return result;
}

function isIp(text: string): boolean {
  return (
    /^\d{1,3}(?:\.\d{1,3}){3}$/.test(text) || (text.includes(':') && /^[0-9a-fA-F:.]+$/.test(text))
  );
}
