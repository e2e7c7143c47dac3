/**
 * ATT&CK technique labels of the EVTX attack samples (`../shared/data/evtx/attack-samples`).
 * The samples' repository maps files to techniques only in a picture, so the labels come from
 * file names: an explicit technique id in the name (`…_t1098.evtx`) first, else the first of
 * our keyword rules below that matches the name (written by us from what each name says it
 * recorded). Labels are at the level the name supports; coverage compares at technique level
 * (T1003.001 and T1003 agree), see technique-coverage.ts.
 *
 * Ids ATT&CK has since revoked are replaced by the technique that took them over (public
 * ATT&CK facts: T1186 → T1055.013, T1178 → T1134.005).
 */

export type LabelSource = 'name-id' | 'name-keyword';

export interface TechniqueLabel {
  readonly technique: string;
  readonly source: LabelSource;
}

const REVOKED: Readonly<Record<string, string>> = { T1186: 'T1055.013', T1178: 'T1134.005' };

/** Keyword rules, most specific first; matched against the lower-case file name. */
const KEYWORDS: readonly (readonly [RegExp, string])[] = [
  [/hashdump|sam_registry/, 'T1003.002'],
  [/dcsync/, 'T1003.006'],
  [/ntdsutil|ntds/, 'T1003.003'],
  [/lsass|sekurlsa_logonpasswords|memdump|minidump|dumpert|ppldump|mimikatz/, 'T1003.001'],
  [/dcshadow/, 'T1207'],
  [/pwd_spray|password_spray/, 'T1110.003'],
  [/failed_logon/, 'T1110'],
  [/keepass|keefarce|keethief|chrome_firefox|teamviewer-dumper|masterkey/, 'T1555'],
  [/keylogger/, 'T1056.001'],
  [/phish_windows_credentials/, 'T1056.002'],
  [/pass the hash|_pth_/, 'T1550.002'],
  [/log_cleared/, 'T1070.001'],
  [/timestomp/, 'T1070.006'],
  [/eventlog_svc|eventlog_service|wineventlogsvc/, 'T1562.002'],
  [/scriptblocklogging_disabled|clm_disabled|execpolicy/, 'T1562.001'],
  [/uacme|uacbypass|uac_bypass|uac_disabled|sdcltbypass|eventvwrbypass/, 'T1548.002'],
  [/ppid_spoofing/, 'T1134.004'],
  [/sidhistory/, 'T1134.005'],
  [/potato|seimpersonate|tokenduplication|imperson|roguewinrm|runas_/, 'T1134.001'],
  [
    /doppelganging|herpaderping|hollowing|codeinj|injection|psinject|migrate_to|reflective/,
    'T1055',
  ],
  [/dllhijack|dll hijack|sideloading|knowdll/, 'T1574'],
  [/tunnel|tunna|rdp_tun|portforward/, 'T1572'],
  [/xp_cmdshell/, 'T1505.001'],
  [/webshell/, 'T1505.003'],
  [/psexec|remcom|remote_service/, 'T1569.002'],
  [/schtask|scheduled_task|scheduledtask|atsvc|remote_task|remote task/, 'T1053.005'],
  [/wmic|wmiexec|wmi_|_wmi/, 'T1047'],
  [/eventconsumer|wmighost/, 'T1546.003'],
  [/winrm|winrshost|powershellremoting|remotepowershell|wsmprovhost/, 'T1021.006'],
  [/dcom|mmc20|shellbrowserwindow|shbrwnd/, 'T1021.003'],
  [/sharprdp|tsclient|rdp/, 'T1021.001'],
  [/remote_filecopy|remote_file_copy|smbmap|filecopy/, 'T1570'],
  [/run_key|runkey|runpersist|hidden_run/, 'T1547.001'],
  [/winlogon/, 'T1547.004'],
  [/startup/, 'T1547.001'],
  [/accessibility|_osk_/, 'T1546.008'],
  [/comhijack/, 'T1546.015'],
  [/silentprocessexit|imagehijack/, 'T1546.012'],
  [/shim|appfix/, 'T1546.011'],
  [/bitsjob|bitsadmin|bits_/, 'T1197'],
  [/local_account|hidden_local_account|computeraccount|_4720/, 'T1136.001'],
  [/admins_4732|added_admingroup|guest_rid_hijack|dsrm_password|domainobjectacl/, 'T1098'],
  [/bloodhound/, 'T1087.002'],
  [/enum_shares/, 'T1135'],
  [/groups_enumeration|local_user_or_group|net_group/, 'T1069'],
  [/psloggedon|userhunter|netsessionenum/, 'T1033'],
  [/process_listing/, 'T1057'],
  [/cve-2020-0796|cve-2020-1313|ntlm2selfrelay/, 'T1068'],
  [/zerologon|bluekeep|spoolsample/, 'T1210'],
  [/rundll32/, 'T1218.011'],
  [/regsvr32/, 'T1218.010'],
  [/mshta/, 'T1218.005'],
  [/msxsl|_xsl/, 'T1220'],
  [/compiledhtml/, 'T1218.001'],
  [/_cpl|controlpanel/, 'T1218.002'],
  [/msi/, 'T1218.007'],
  [/pcalua|ftp|explorer_exec|vshadow/, 'T1202'],
  [/desktopimgdownldr/, 'T1105'],
  [/vbs_|vba_/, 'T1059.005'],
  [/jscript/, 'T1059.007'],
  [/powershell|_ps_|4104/, 'T1059.001'],
  [/revshell|_cmd/, 'T1059.003'],
];

export function techniqueLabel(fileName: string): TechniqueLabel | undefined {
  const name = fileName.toLowerCase();
  const explicit = /(?:^|[^a-z0-9])t(1\d{3})(?:[._](\d{3}))?(?=[^0-9]|$)/.exec(name);
  if (explicit !== null) {
    const id = `T${explicit[1]}${explicit[2] === undefined ? '' : `.${explicit[2]}`}`;
    return { technique: REVOKED[id] ?? id, source: 'name-id' };
  }
  for (const [pattern, technique] of KEYWORDS) {
    if (pattern.test(name)) return { technique, source: 'name-keyword' };
  }
  return undefined;
}

/** `attack.t1003.001` → `T1003.001`; other tags → undefined. */
export function techniqueOfTag(tag: string): string | undefined {
  const match = /^attack\.t(\d{4})(?:\.(\d{3}))?$/i.exec(tag);
  return match === null ? undefined : `T${match[1]}${match[2] === undefined ? '' : `.${match[2]}`}`;
}

/** Same technique, sub-techniques folded into their parent. */
export function sameTechnique(a: string, b: string): boolean {
  return a.split('.')[0] === b.split('.')[0];
}
