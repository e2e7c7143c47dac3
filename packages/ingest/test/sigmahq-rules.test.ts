/**
 * Our normalised events against the public SigmaHQ rule set (../shared/data/sigmahq), matched
 * by @cordon/sigma through `sigmaView` and the event's `log_source`: the rules written for
 * each source fire on our parsed samples of that source. This is the contract that matters:
 * original field names (`query`, `eventName`, `Image`, `EventID`), log sources (zeek/dns,
 * aws/cloudtrail, windows/process_creation …) and keyword text (Linux rules) all line up.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules, SigmaEngine } from '@cordon/sigma';
import { describe, expect, it } from 'vitest';
import { sigmaView } from '../src/sigma-view.ts';
import {
  CLOUDTRAIL_CONSOLE_LOGIN_FAILED,
  CLOUDTRAIL_STOP_LOGGING,
  EVTX_4688,
  SYSMON_1,
  SYSMON_11,
  WINLOGBEAT_4625,
  WINLOGBEAT_4720,
  ZEEK_DNS,
} from '../src/testing/samples.ts';
import { parseOne } from '../src/testing/test-support.ts';

const RULES = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'data',
  'sigmahq',
  'rules',
);
const present = existsSync(RULES);
if (!present && process.env.CI === 'true') {
  throw new Error(`SigmaHQ rules missing at ${RULES}: CI must have ../shared/data`);
}
if (!present) console.warn(`skipping SigmaHQ compatibility tests: ${RULES} is absent`);

function ruleFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ruleFiles(path);
    return name.endsWith('.yml') ? [path] : [];
  });
}

describe.skipIf(!present)('SigmaHQ rules on our events', () => {
  const engine = present
    ? new SigmaEngine(
        loadRules(ruleFiles(RULES).map((file) => ({ file, text: readFileSync(file, 'utf8') })))
          .detections,
      )
    : undefined;
  const fired = (raw: string): string[] => {
    const event = parseOne(raw);
    return engine!
      .match(sigmaView(event), event.log_source)
      .map((m) => m.rule.file.split('/').pop()!);
  };

  it.each([
    ['Zeek DNS query for a mining pool', ZEEK_DNS, 'zeek_dns_mining_pools.yml'],
    [
      'CloudTrail StopLogging',
      JSON.stringify(CLOUDTRAIL_STOP_LOGGING),
      'aws_cloudtrail_disable_logging.yml',
    ],
    [
      'CloudTrail failed console login',
      JSON.stringify(CLOUDTRAIL_CONSOLE_LOGIN_FAILED),
      'aws_cloudtrail_console_login_failed_authentication.yml',
    ],
    [
      'useradd with UID 0 (keywords)',
      'Oct 11 22:14:15 web-01 useradd[7001]: new user: name=backdoor, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/0',
      'lnx_privileged_user_creation.yml',
    ],
    [
      'sshd MAC error (keywords, service sshd)',
      'Oct 11 22:14:15 web-01 sshd[1]: Corrupted MAC on input. [preauth]',
      'lnx_sshd_susp_ssh.yml',
    ],
    [
      'Sysmon 1 encoded PowerShell',
      JSON.stringify(SYSMON_1),
      'proc_creation_win_powershell_base64_encoded_cmd.yml',
    ],
    [
      'Sysmon 1 Office spawning PowerShell',
      JSON.stringify(SYSMON_1),
      'proc_creation_win_office_susp_child_processes.yml',
    ],
    [
      'Security 4688 whoami /all (Image alias)',
      JSON.stringify(EVTX_4688),
      'proc_creation_win_whoami_all_execution.yml',
    ],
    [
      'Sysmon 11 startup folder write',
      JSON.stringify(SYSMON_11),
      'file_event_win_startup_folder_file_write.yml',
    ],
    [
      'Winlogbeat 4720 user created',
      JSON.stringify(WINLOGBEAT_4720),
      'win_security_user_creation.yml',
    ],
    [
      'Winlogbeat 4625 failed logon',
      JSON.stringify(WINLOGBEAT_4625),
      'win_security_susp_failed_logon_source.yml',
    ],
  ])('%s → %s', (_, raw, rule) => {
    expect(fired(raw)).toContain(rule);
  });

  it('benign events stay quiet', () => {
    expect(
      fired(
        'Oct 11 22:14:15 web-01 sshd[9]: Accepted publickey for deploy from 192.0.2.10 port 51234 ssh2: ED25519 SHA256:x',
      ),
    ).toEqual([]);
    expect(
      fired('Oct 11 22:14:15 web-01 CRON[2]: (root) CMD (run-parts /etc/cron.hourly)'),
    ).toEqual([]);
  });
});
