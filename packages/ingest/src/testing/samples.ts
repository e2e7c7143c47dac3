/**
 * Real-looking records, written for these tests in the shapes the daemons and shippers
 * produce. Used by the format tests and by the rules test (which checks that every field our
 * Sigma rules name exists in these events).
 */

export const WINLOGBEAT_4625 = {
  '@timestamp': '2024-10-11T22:14:15.512Z',
  event: {
    code: '4625',
    kind: 'event',
    provider: 'Microsoft-Windows-Security-Auditing',
    action: 'logon-failed',
  },
  host: { name: 'dc01.corp.example' },
  message: 'An account failed to log on.',
  winlog: {
    api: 'wineventlog',
    channel: 'Security',
    computer_name: 'DC01.corp.example',
    event_id: 4625,
    provider_name: 'Microsoft-Windows-Security-Auditing',
    provider_guid: '{54849625-5478-4994-a5ba-3e3b0328c30d}',
    record_id: 882211,
    task: 'Logon',
    keywords: ['Audit Failure'],
    process: { pid: 684, thread: { id: 5120 } },
    event_data: {
      SubjectUserSid: 'S-1-0-0',
      SubjectUserName: '-',
      SubjectDomainName: '-',
      SubjectLogonId: '0x0',
      TargetUserSid: 'S-1-0-0',
      TargetUserName: 'administrator',
      TargetDomainName: 'CORP',
      Status: '0xc000006d',
      FailureReason: '%%2313',
      SubStatus: '0xc000006a',
      LogonType: '10',
      LogonProcessName: 'User32 ',
      AuthenticationPackageName: 'Negotiate',
      WorkstationName: 'ATTACKER-PC',
      TransmittedServices: '-',
      LmPackageName: '-',
      KeyLength: '0',
      ProcessId: '0x1c4',
      ProcessName: 'C:\\Windows\\System32\\svchost.exe',
      IpAddress: '198.51.100.77',
      IpPort: '50213',
    },
  },
};

export const EVTX_4624 = {
  Event: {
    '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
    System: {
      Provider: {
        '#attributes': {
          Name: 'Microsoft-Windows-Security-Auditing',
          Guid: '54849625-5478-4994-A5BA-3E3B0328C30D',
        },
      },
      EventID: 4624,
      Version: 2,
      Level: 0,
      Task: 12544,
      Opcode: 0,
      Keywords: '0x8020000000000000',
      TimeCreated: { '#attributes': { SystemTime: '2024-10-11T22:14:16.104526Z' } },
      EventRecordID: 882212,
      Correlation: { '#attributes': { ActivityID: 'B1C2D3E4-0000-0000-0000-000000000000' } },
      Execution: { '#attributes': { ProcessID: 684, ThreadID: 712 } },
      Channel: 'Security',
      Computer: 'WS042.corp.example',
      Security: null,
    },
    EventData: {
      SubjectUserSid: 'S-1-5-18',
      SubjectUserName: 'WS042$',
      SubjectDomainName: 'CORP',
      SubjectLogonId: '0x3e7',
      TargetUserSid: 'S-1-5-21-1004336348-1177238915-682003330-1104',
      TargetUserName: 'jdoe',
      TargetDomainName: 'CORP',
      TargetLogonId: '0x8dcdc',
      LogonType: 3,
      LogonProcessName: 'NtLmSsp ',
      AuthenticationPackageName: 'NTLM',
      WorkstationName: 'LAPTOP-7',
      LogonGuid: '00000000-0000-0000-0000-000000000000',
      ProcessId: '0x0',
      ProcessName: '-',
      IpAddress: '10.20.30.40',
      IpPort: '49811',
    },
  },
};

export const EVTX_4688 = {
  Event: {
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Security-Auditing' } },
      EventID: 4688,
      TimeCreated: { '#attributes': { SystemTime: '2024-10-11T22:15:01.000000Z' } },
      Channel: 'Security',
      Computer: 'WS042.corp.example',
    },
    EventData: {
      SubjectUserSid: 'S-1-5-21-1004336348-1177238915-682003330-1104',
      SubjectUserName: 'jdoe',
      SubjectDomainName: 'CORP',
      SubjectLogonId: '0x8dcdc',
      NewProcessId: '0x1a2c',
      NewProcessName: 'C:\\Windows\\System32\\whoami.exe',
      TokenElevationType: '%%1936',
      ProcessId: '0x11f0',
      CommandLine: 'whoami /all',
      TargetUserSid: 'S-1-0-0',
      TargetUserName: '-',
      TargetDomainName: '-',
      TargetLogonId: '0x0',
      ParentProcessName: 'C:\\Windows\\System32\\cmd.exe',
      MandatoryLabel: 'S-1-16-8192',
    },
  },
};

export const WINLOGBEAT_4720 = {
  '@timestamp': '2024-10-11T22:16:00.000Z',
  winlog: {
    channel: 'Security',
    event_id: '4720',
    provider_name: 'Microsoft-Windows-Security-Auditing',
    computer_name: 'DC01.corp.example',
    event_data: {
      TargetUserName: 'svc-backup2',
      TargetDomainName: 'CORP',
      TargetSid: 'S-1-5-21-1004336348-1177238915-682003330-1190',
      SubjectUserSid: 'S-1-5-21-1004336348-1177238915-682003330-500',
      SubjectUserName: 'Administrator',
      SubjectDomainName: 'CORP',
      SamAccountName: 'svc-backup2',
    },
  },
};

export const NXLOG_4672 = {
  EventTime: '2024-10-11 22:16:05',
  Hostname: 'DC01.corp.example',
  EventID: 4672,
  SourceName: 'Microsoft-Windows-Security-Auditing',
  Channel: 'Security',
  SubjectUserSid: 'S-1-5-21-1004336348-1177238915-682003330-500',
  SubjectUserName: 'Administrator',
  SubjectDomainName: 'CORP',
  PrivilegeList: 'SeSecurityPrivilege\r\n\t\t\tSeDebugPrivilege',
  Message: 'Special privileges assigned to new logon.',
};

const sysmonSystem = (id: number, time: string) => ({
  Provider: {
    '#attributes': {
      Name: 'Microsoft-Windows-Sysmon',
      Guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9',
    },
  },
  EventID: id,
  TimeCreated: { '#attributes': { SystemTime: time } },
  Channel: 'Microsoft-Windows-Sysmon/Operational',
  Computer: 'WS042.corp.example',
  Security: { '#attributes': { UserID: 'S-1-5-18' } },
});

export const SYSMON_1 = {
  Event: {
    System: sysmonSystem(1, '2024-10-11T22:17:00.123Z'),
    EventData: {
      RuleName: '-',
      UtcTime: '2024-10-11 22:17:00.120',
      ProcessGuid: '{7c1b1a2b-3c4d-6709-1a00-000000000d00}',
      ProcessId: 6688,
      Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      FileVersion: '10.0.19041.3996',
      Description: 'Windows PowerShell',
      OriginalFileName: 'PowerShell.EXE',
      CommandLine: 'powershell.exe -nop -w hidden -enc SQBFAFgA',
      CurrentDirectory: 'C:\\Users\\jdoe\\',
      User: 'CORP\\jdoe',
      IntegrityLevel: 'Medium',
      Hashes: 'SHA256=DE96A6E69944335375DC1AC238336066889D9FFC7D73628EF4FE1B1B160AB32C',
      ParentProcessId: 4012,
      ParentImage: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
      ParentCommandLine:
        '"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n invoice.docm',
      ParentUser: 'CORP\\jdoe',
    },
  },
};

export const SYSMON_3 = {
  Event: {
    System: sysmonSystem(3, '2024-10-11T22:17:02.000Z'),
    EventData: {
      ProcessId: 6688,
      Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      User: 'CORP\\jdoe',
      Protocol: 'tcp',
      Initiated: 'true',
      SourceIsIpv6: 'false',
      SourceIp: '10.20.30.42',
      SourceHostname: 'WS042.corp.example',
      SourcePort: 50877,
      DestinationIsIpv6: 'false',
      DestinationIp: '203.0.113.80',
      DestinationHostname: '-',
      DestinationPort: 443,
      DestinationPortName: 'https',
    },
  },
};

export const SYSMON_11 = {
  Event: {
    System: sysmonSystem(11, '2024-10-11T22:17:03.000Z'),
    EventData: {
      ProcessId: 6688,
      Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      TargetFilename:
        'C:\\Users\\jdoe\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\update.lnk',
      CreationUtcTime: '2024-10-11 22:17:03.000',
      User: 'CORP\\jdoe',
    },
  },
};

export const SYSMON_22 = {
  Event: {
    System: sysmonSystem(22, '2024-10-11T22:17:01.000Z'),
    EventData: {
      ProcessId: 6688,
      QueryName: 'payload.evil.example',
      QueryStatus: '0',
      QueryResults: '::ffff:203.0.113.80;',
      Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      User: 'CORP\\jdoe',
    },
  },
};

export const ZEEK_CONN =
  '{"ts":1728684855.123456,"uid":"CHhAvVGS1DHFjwGM9","id.orig_h":"198.51.100.9","id.orig_p":51515,"id.resp_h":"10.0.0.5","id.resp_p":22,"proto":"tcp","service":"ssh","duration":0.000412,"orig_bytes":0,"resp_bytes":0,"conn_state":"REJ","local_orig":false,"local_resp":true,"missed_bytes":0,"history":"Sr","orig_pkts":1,"orig_ip_bytes":44,"resp_pkts":1,"resp_ip_bytes":40}';

export const ZEEK_DNS =
  '{"ts":"2024-10-11T22:14:15.500000Z","uid":"C8blOJ21azairPrWf8","id.orig_h":"10.0.0.23","id.orig_p":53422,"id.resp_h":"10.0.0.2","id.resp_p":53,"proto":"udp","trans_id":38421,"rtt":0.0213,"query":"xmr.pool.minergate.com","qclass":1,"qclass_name":"C_INTERNET","qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR","AA":false,"TC":false,"RD":true,"RA":true,"Z":0,"answers":["94.130.12.30","xmr.pool.example"],"TTLs":[60.0,60.0],"rejected":false}';

export const ZEEK_HTTP =
  '{"ts":1728684856.0,"uid":"CUM0KZ3MLUfNB0cl11","id.orig_h":"10.0.0.23","id.orig_p":50112,"id.resp_h":"203.0.113.44","id.resp_p":80,"trans_depth":1,"method":"GET","host":"files.evil.example","uri":"/drop/stage2.exe?id=42","version":"1.1","user_agent":"Microsoft-WebDAV-MiniRedir/10.0.19045","request_body_len":0,"response_body_len":73802,"status_code":200,"status_msg":"OK","tags":[],"resp_mime_types":["application/x-dosexec"]}';

export const EVE_ALERT =
  '{"timestamp":"2024-10-11T22:14:15.123456+0000","flow_id":1234567890123456,"in_iface":"eth0","event_type":"alert","src_ip":"198.51.100.9","src_port":51515,"dest_ip":"10.0.0.5","dest_port":22,"proto":"TCP","community_id":"1:LQU9qZlK+B5F3KDmev6m5PMibrg=","alert":{"action":"allowed","gid":1,"signature_id":2001219,"rev":20,"signature":"ET SCAN Potential SSH Scan","category":"Attempted Information Leak","severity":2},"flow":{"pkts_toserver":1,"pkts_toclient":0,"bytes_toserver":74,"bytes_toclient":0,"start":"2024-10-11T22:14:15.120000+0000"}}';

export const EVE_FLOW =
  '{"timestamp":"2024-10-11T22:14:20.000000+0000","flow_id":998877,"event_type":"flow","src_ip":"198.51.100.9","src_port":40001,"dest_ip":"10.0.0.5","dest_port":3389,"proto":"TCP","flow":{"pkts_toserver":1,"pkts_toclient":1,"bytes_toserver":60,"bytes_toclient":54,"start":"2024-10-11T22:14:19.990000+0000","end":"2024-10-11T22:14:19.991000+0000","age":0,"state":"closed","reason":"timeout","alerted":false},"tcp":{"tcp_flags":"16","syn":true,"rst":true}}';

export const EVE_DNS =
  '{"timestamp":"2024-10-11T22:14:16.000000+0000","flow_id":55,"event_type":"dns","src_ip":"10.0.0.2","src_port":53,"dest_ip":"10.0.0.23","dest_port":53422,"proto":"UDP","dns":{"version":2,"type":"answer","id":38421,"flags":"8180","qr":true,"rd":true,"ra":true,"rrname":"payload.evil.example","rrtype":"A","rcode":"NOERROR","answers":[{"rrname":"payload.evil.example","rrtype":"A","ttl":60,"rdata":"203.0.113.80"}]}}';

export const EVE_HTTP =
  '{"timestamp":"2024-10-11T22:14:17.000000+0000","flow_id":56,"event_type":"http","src_ip":"10.0.0.23","src_port":50112,"dest_ip":"203.0.113.44","dest_port":80,"proto":"TCP","tx_id":0,"http":{"hostname":"files.evil.example","url":"/drop/stage2.exe?id=42","http_user_agent":"curl/8.5.0","http_content_type":"application/octet-stream","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":73802}}';

export const CLOUDTRAIL_CONSOLE_LOGIN_FAILED = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLEPRINCIPAL',
    accountId: '123456789012',
    accessKeyId: '',
    userName: 'ops-admin',
  },
  eventTime: '2024-10-11T22:14:15Z',
  eventSource: 'signin.amazonaws.com',
  eventName: 'ConsoleLogin',
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.66',
  userAgent:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Safari/537.36',
  errorMessage: 'Failed authentication',
  requestParameters: null,
  responseElements: { ConsoleLogin: 'Failure' },
  additionalEventData: {
    LoginTo: 'https://console.aws.amazon.com/console/home',
    MobileVersion: 'No',
    MFAUsed: 'No',
  },
  eventID: '3fcfb5a4-6b7e-4c9d-9f3e-0a1b2c3d4e5f',
  readOnly: false,
  eventType: 'AwsConsoleSignIn',
  managementEvent: true,
  recipientAccountId: '123456789012',
  eventCategory: 'Management',
};

export const CLOUDTRAIL_STOP_LOGGING = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEROLE:mallory',
    arn: 'arn:aws:sts::123456789012:assumed-role/OrgAdmin/mallory',
    accountId: '123456789012',
    accessKeyId: 'ASIAEXAMPLEKEY',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLEROLE',
        arn: 'arn:aws:iam::123456789012:role/OrgAdmin',
        accountId: '123456789012',
        userName: 'OrgAdmin',
      },
      attributes: { creationDate: '2024-10-11T21:00:00Z', mfaAuthenticated: 'false' },
    },
  },
  eventTime: '2024-10-11T22:20:00Z',
  eventSource: 'cloudtrail.amazonaws.com',
  eventName: 'StopLogging',
  awsRegion: 'eu-west-1',
  sourceIPAddress: '203.0.113.200',
  userAgent: 'aws-cli/2.17.0 Python/3.12.4 Linux/6.8.0',
  requestParameters: { name: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail' },
  responseElements: null,
  eventID: 'a1b2c3d4-0000-4000-8000-000000000001',
  eventType: 'AwsApiCall',
  recipientAccountId: '123456789012',
};

export const CLOUDTRAIL_SERVICE_CALL = {
  eventVersion: '1.08',
  userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
  eventTime: '2024-10-11T22:21:00Z',
  eventSource: 'sts.amazonaws.com',
  eventName: 'AssumeRole',
  awsRegion: 'us-east-1',
  sourceIPAddress: 'ec2.amazonaws.com',
  userAgent: 'ec2.amazonaws.com',
  eventID: 'a1b2c3d4-0000-4000-8000-000000000002',
  recipientAccountId: '123456789012',
};

export const CEF_FIREWALL_DENY =
  'CEF:0|Palo Alto Networks|PAN-OS|10.2.4|end|TRAFFIC|3|rt=Oct 11 2024 22:14:15 GMT deviceExternalId=012801012345 src=198.51.100.9 dst=10.0.0.5 sourceTranslatedAddress=0.0.0.0 suser= duser= app=incomplete cs1Label=Rule cs1=deny-all-inbound deviceInboundInterface=ethernet1/1 cn1Label=SessionID cn1=991122 cnt=1 spt=40001 dpt=3389 proto=tcp act=deny in=60 out=0 dvchost=pa-edge-01';

export const SSH_FAILURE_LINE = (
  n: number,
  user = 'root',
  source = '198.51.100.23',
  host = 'bastion',
): string =>
  `Oct 11 22:${String(10 + Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')} ${host} sshd[${4000 + n}]: Failed password for ${user} from ${source} port ${50000 + n} ssh2`;
