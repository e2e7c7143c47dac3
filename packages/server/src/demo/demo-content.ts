/**
 * What the demo tenant documents, in the API's own request shapes: a small logistics company
 * with workstations, redundant domain controllers and ERP servers, a web shop, business
 * functions with downtime costs, backups, a reviewed plan, staffed roles and an on-call rota,
 * and three Sigma rules of its own (ours) that fire on the replayed attack. Every name says
 * "demo" where a person could mistake it for real data.
 */

export const DEMO_TENANT_NAME = 'Demo: Northwind Logistics (sample data)';
export const DEMO_USER_EMAIL = 'demo@cordon.local';

export const DEMO_SEGMENTS = [
  {
    name: 'office',
    cidr: '10.20.1.0/24',
    zone: 'user',
    vlan: 20,
    description: 'demo: workstations',
  },
  {
    name: 'servers',
    cidr: '10.20.0.0/24',
    zone: 'server',
    vlan: 10,
    description: 'demo: data centre',
  },
  {
    name: 'dmz',
    cidr: '192.0.2.0/27',
    zone: 'dmz',
    vlan: 30,
    description: 'demo: public services',
  },
] as const;

/** name, kind, segment, address, os, owner, criticality, redundancy group, agent. */
export const DEMO_ASSETS: readonly (readonly [
  string,
  'workstation' | 'server' | 'network_device',
  'office' | 'servers' | 'dmz',
  string,
  string,
  string,
  'critical' | 'high' | 'medium' | 'low',
  string | null,
  boolean,
])[] = [
  [
    'ws-fin-07',
    'workstation',
    'office',
    '10.20.1.27',
    'Windows 11',
    'Finance',
    'medium',
    null,
    true,
  ],
  [
    'ws-sales-02',
    'workstation',
    'office',
    '10.20.1.22',
    'Windows 11',
    'Sales',
    'medium',
    null,
    true,
  ],
  ['ws-hr-03', 'workstation', 'office', '10.20.1.23', 'Windows 11', 'HR', 'medium', null, false],
  [
    'srv-dc-01',
    'server',
    'servers',
    '10.20.0.10',
    'Windows Server 2022',
    'IT',
    'critical',
    'dc',
    true,
  ],
  [
    'srv-dc-02',
    'server',
    'servers',
    '10.20.0.11',
    'Windows Server 2022',
    'IT',
    'critical',
    'dc',
    true,
  ],
  [
    'srv-erp-01',
    'server',
    'servers',
    '10.20.0.20',
    'Windows Server 2022',
    'Finance',
    'critical',
    'erp',
    true,
  ],
  [
    'srv-erp-02',
    'server',
    'servers',
    '10.20.0.21',
    'Windows Server 2022',
    'Finance',
    'critical',
    'erp',
    true,
  ],
  [
    'srv-file-02',
    'server',
    'servers',
    '10.20.0.30',
    'Windows Server 2019',
    'IT',
    'high',
    null,
    true,
  ],
  ['lnx-web-01', 'server', 'dmz', '192.0.2.10', 'Debian 12', 'E-commerce', 'high', 'web', false],
  [
    'lnx-db-01',
    'server',
    'servers',
    '10.20.0.40',
    'Debian 12',
    'E-commerce',
    'critical',
    null,
    false,
  ],
  [
    'fw-edge-01',
    'network_device',
    'dmz',
    '192.0.2.1',
    'FortiOS 7.4',
    'IT',
    'critical',
    null,
    false,
  ],
];

/** from depends on to. */
export const DEMO_DEPENDENCIES: readonly (readonly [string, string])[] = [
  ['lnx-web-01', 'lnx-db-01'],
  ['srv-erp-01', 'srv-dc-01'],
  ['srv-erp-02', 'srv-dc-02'],
  ['srv-file-02', 'srv-dc-01'],
];

export const DEMO_FUNCTIONS = [
  {
    name: 'Order intake (web shop)',
    mtdMinutes: 120,
    costPerHour: 18_000,
    assets: ['lnx-web-01', 'lnx-db-01'],
  },
  {
    name: 'Invoicing (ERP)',
    mtdMinutes: 480,
    costPerHour: 9_500,
    assets: ['srv-erp-01', 'srv-erp-02'],
  },
  {
    name: 'Sign-in and file shares',
    mtdMinutes: 60,
    costPerHour: 6_000,
    assets: ['srv-dc-01', 'srv-dc-02', 'srv-file-02'],
  },
] as const;

/** name, asset, RPO h, last success h ago, restore test days ago (null: never), offline, immutable. */
export const DEMO_BACKUPS: readonly (readonly [
  string,
  string,
  number,
  number,
  number | null,
  boolean,
  boolean,
])[] = [
  ['ERP database nightly', 'srv-erp-01', 24, 6, 20, true, true],
  ['ERP standby nightly', 'srv-erp-02', 24, 7, null, true, false],
  ['AD system state', 'srv-dc-01', 24, 10, 45, true, false],
  ['AD system state (dc-02)', 'srv-dc-02', 24, 30, null, false, false],
  ['Web shop database', 'lnx-db-01', 4, 2, 12, true, true],
  ['File shares', 'srv-file-02', 24, 5, 70, true, false],
];

const person = (name: string, phone: string, email: string) => ({ name, phone, email, chat: null });

export const DEMO_ROLES = [
  [
    'incident_lead',
    person('Dana Lee (demo)', '+1 555 0101', 'dana.lee@northwind.example'),
    person('Sam Ortiz (demo)', '+1 555 0102', 'sam.ortiz@northwind.example'),
  ],
  [
    'technical_lead',
    person('Ravi Iyer (demo)', '+1 555 0103', 'ravi.iyer@northwind.example'),
    person('Ana Ruiz (demo)', '+1 555 0104', 'ana.ruiz@northwind.example'),
  ],
  [
    'communications_lead',
    person('Mia Chen (demo)', '+1 555 0105', 'mia.chen@northwind.example'),
    person('Tom Berg (demo)', '+1 555 0106', 'tom.berg@northwind.example'),
  ],
  [
    'legal_counsel',
    person('Lena Vogt (demo)', '+1 555 0107', 'legal@northwind.example'),
    person('Outside counsel (demo)', '+1 555 0108', 'counsel@law.example'),
  ],
  ['scribe', person('Kai Moreau (demo)', '+1 555 0109', 'kai.moreau@northwind.example'), null],
  [
    'executive_sponsor',
    person('Eva Stone (demo)', '+1 555 0110', 'ceo@northwind.example'),
    person('Raj Patel (demo)', '+1 555 0111', 'cfo@northwind.example'),
  ],
  [
    'client_contact',
    person('Nora Field (demo)', '+1 555 0112', 'it@northwind.example'),
    person('Ian Cole (demo)', '+1 555 0113', 'it-backup@northwind.example'),
  ],
  [
    'mssp_on_call',
    person('MSSP SOC (demo)', '+1 555 0199', 'soc@mssp.example'),
    person('MSSP SOC lead (demo)', '+1 555 0198', 'soc-lead@mssp.example'),
  ],
] as const;

export const DEMO_PLAN = {
  title: 'Incident response plan (demo)',
  owner: 'CISO',
  body: [
    '# Incident response plan — Northwind Logistics (demo data)',
    '',
    '1. The MSSP on-call triages and calls the incident lead for anything high or critical.',
    '2. Workstations may be isolated at once; servers only with the incident lead, after the',
    '   impact (redundancy, business functions, downtime cost) has been read.',
    '3. Evidence is collected before eradication; every step is in the journal.',
  ].join('\n'),
};

/** Our rules for the demo tenant: the server ships only correlation rules, these add Sysmon. */
export const DEMO_RULES = [
  `title: Encoded PowerShell Command Line (demo rule)
id: 5f1f4c2e-2d6b-4c59-9a57-0c7d3e1d0a01
status: experimental
description: PowerShell started with an encoded command, common in hands-on-keyboard intrusions.
author: Cordon demo
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\powershell.exe'
    CommandLine|contains: ' -enc '
  condition: selection
tags:
  - attack.execution
  - attack.t1059.001
level: high
`,
  `title: Scheduled Task Created From a Command Line (demo rule)
id: 5f1f4c2e-2d6b-4c59-9a57-0c7d3e1d0a02
status: experimental
description: schtasks /create, a common way to persist.
author: Cordon demo
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\schtasks.exe'
    CommandLine|contains: '/create'
  condition: selection
tags:
  - attack.persistence
  - attack.t1053.005
level: medium
`,
  `title: LSASS Opened With Full Access (demo rule)
id: 5f1f4c2e-2d6b-4c59-9a57-0c7d3e1d0a03
status: experimental
description: A process opened lsass.exe with PROCESS_ALL_ACCESS, as credential dumpers do.
author: Cordon demo
logsource:
  product: windows
  category: process_access
detection:
  selection:
    TargetImage|endswith: '\\lsass.exe'
    GrantedAccess: '0x1fffff'
  condition: selection
tags:
  - attack.credential-access
  - attack.t1003.001
level: critical
`,
];
