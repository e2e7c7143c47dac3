/**
 * Windows log source mapping, equivalent to SigmaHQ's own (`tests/thor.yml`): each Sigma
 * category becomes an EventID on the channel of the service it is rewritten to (Sysmon,
 * Security, PowerShell …), each service becomes its channel(s), and Security 4688 process
 * creation renames `Image` / `ParentImage`. A few services SigmaHQ rules use that thor.yml
 * lacks (dns-server, driver-framework, servicebus) are added with their channel names.
 *
 * This is data: users replace or extend it (`cordon hunt --mapping FILE` takes the same shape
 * as YAML or JSON). Categories with no Windows channel (file_access, file_rename) are left out,
 * so rules using them match only events tagged with that log source at ingestion.
 */
import type { LogSourceMapping } from './logsource-mapping.ts';

export const windowsLogSourceMapping: LogSourceMapping = {
  keyFields: ['Channel', 'EventID'],
  entries: [
    {
      logsource: { product: 'windows', category: 'process_creation' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1 },
    },
    {
      logsource: { product: 'windows', category: 'process_creation' },
      conditions: { Channel: 'Security', EventID: 4688 },
      fieldmappings: { Image: 'NewProcessName', ParentImage: 'ParentProcessName' },
    },
    {
      logsource: { product: 'windows', category: 'file_change' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 2 },
    },
    {
      logsource: { product: 'windows', category: 'network_connection' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 3 },
    },
    {
      logsource: { product: 'windows', category: 'sysmon_status' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 4 },
    },
    {
      logsource: { product: 'windows', category: 'sysmon_status' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 16 },
    },
    {
      logsource: { product: 'windows', category: 'process_termination' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 5 },
    },
    {
      logsource: { product: 'windows', category: 'driver_load' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 6 },
    },
    {
      logsource: { product: 'windows', category: 'image_load' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 7 },
    },
    {
      logsource: { product: 'windows', category: 'create_remote_thread' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 8 },
    },
    {
      logsource: { product: 'windows', category: 'raw_access_thread' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 9 },
    },
    {
      logsource: { product: 'windows', category: 'process_access' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 10 },
    },
    {
      logsource: { product: 'windows', category: 'file_event' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 11 },
    },
    {
      logsource: { product: 'windows', category: 'registry_event' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 12 },
    },
    {
      logsource: { product: 'windows', category: 'registry_event' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 13 },
    },
    {
      logsource: { product: 'windows', category: 'registry_event' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 14 },
    },
    {
      logsource: { product: 'windows', category: 'registry_add' },
      conditions: {
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        EventID: 12,
        EventType: 'CreateKey',
      },
    },
    {
      logsource: { product: 'windows', category: 'registry_delete' },
      conditions: {
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        EventID: 12,
        EventType: 'DeleteKey',
      },
    },
    {
      logsource: { product: 'windows', category: 'registry_delete' },
      conditions: {
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        EventID: 12,
        EventType: 'DeleteValue',
      },
    },
    {
      logsource: { product: 'windows', category: 'registry_set' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 13 },
    },
    {
      logsource: { product: 'windows', category: 'registry_rename' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 14 },
    },
    {
      logsource: { product: 'windows', category: 'create_stream_hash' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 15 },
    },
    {
      logsource: { product: 'windows', category: 'pipe_created' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 17 },
    },
    {
      logsource: { product: 'windows', category: 'pipe_created' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 18 },
    },
    {
      logsource: { product: 'windows', category: 'wmi_event' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 19 },
    },
    {
      logsource: { product: 'windows', category: 'wmi_event' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 20 },
    },
    {
      logsource: { product: 'windows', category: 'wmi_event' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 21 },
    },
    {
      logsource: { product: 'windows', category: 'dns_query' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 22 },
    },
    {
      logsource: { product: 'windows', category: 'file_delete' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 23 },
    },
    {
      logsource: { product: 'windows', category: 'clipboard_change' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 24 },
    },
    {
      logsource: { product: 'windows', category: 'process_tampering' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 25 },
    },
    {
      logsource: { product: 'windows', category: 'file_delete_detected' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 26 },
    },
    {
      logsource: { product: 'windows', category: 'file_block_executable' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 27 },
    },
    {
      logsource: { product: 'windows', category: 'file_block_shredding' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 28 },
    },
    {
      logsource: { product: 'windows', category: 'file_executable_detected' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 29 },
    },
    {
      logsource: { product: 'windows', category: 'sysmon_error' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 255 },
    },
    {
      logsource: { product: 'windows', category: 'ps_module' },
      conditions: {
        Channel: ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'],
        EventID: 4103,
      },
    },
    {
      logsource: { product: 'windows', category: 'ps_script' },
      conditions: {
        Channel: ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'],
        EventID: 4104,
      },
    },
    {
      logsource: { product: 'windows', category: 'ps_classic_start' },
      conditions: { Channel: 'Windows PowerShell', EventID: 400 },
    },
    {
      logsource: { product: 'windows', category: 'ps_classic_provider_start' },
      conditions: { Channel: 'Windows PowerShell', EventID: 600 },
    },
    {
      logsource: { product: 'windows', category: 'ps_classic_script' },
      conditions: { Channel: 'Windows PowerShell', EventID: 800 },
    },
    {
      logsource: { category: 'antivirus' },
      conditions: {
        Channel: 'Microsoft-Windows-Windows Defender/Operational',
        EventID: [1006, 1007, 1008, 1009, 1010, 1011, 1012, 1017, 1018, 1019, 1115, 1116],
      },
      fieldmappings: { Signature: 'ThreatName', Filename: 'Path' },
    },
    {
      logsource: { product: 'windows', service: 'application' },
      conditions: { Channel: 'Application' },
    },
    {
      logsource: { product: 'windows', service: 'security' },
      conditions: { Channel: 'Security' },
    },
    {
      logsource: { product: 'windows', service: 'system' },
      conditions: { Channel: 'System' },
    },
    {
      logsource: { product: 'windows', service: 'ntlm' },
      conditions: { Channel: 'Microsoft-Windows-NTLM/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'sysmon' },
      conditions: { Channel: 'Microsoft-Windows-Sysmon/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'powershell' },
      conditions: {
        Channel: ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'],
      },
    },
    {
      logsource: { product: 'windows', service: 'powershell-classic' },
      conditions: { Channel: 'Windows PowerShell' },
    },
    {
      logsource: { product: 'windows', service: 'taskscheduler' },
      conditions: { Channel: 'Microsoft-Windows-TaskScheduler/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'wmi' },
      conditions: { Channel: 'Microsoft-Windows-WMI-Activity/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'dhcp' },
      conditions: { Channel: 'Microsoft-Windows-DHCP-Server/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'printservice-admin' },
      conditions: { Channel: 'Microsoft-Windows-PrintService/Admin' },
    },
    {
      logsource: { product: 'windows', service: 'smbclient-security' },
      conditions: { Channel: 'Microsoft-Windows-SmbClient/Security' },
    },
    {
      logsource: { product: 'windows', service: 'smbclient-connectivity' },
      conditions: { Channel: 'Microsoft-Windows-SmbClient/Connectivity' },
    },
    {
      logsource: { product: 'windows', service: 'smbserver-connectivity' },
      conditions: { Channel: 'Microsoft-Windows-SMBServer/Connectivity' },
    },
    {
      logsource: { product: 'windows', service: 'printservice-operational' },
      conditions: { Channel: 'Microsoft-Windows-PrintService/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'terminalservices-localsessionmanager' },
      conditions: { Channel: 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'codeintegrity-operational' },
      conditions: { Channel: 'Microsoft-Windows-CodeIntegrity/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'applocker' },
      conditions: {
        Channel: [
          'Microsoft-Windows-AppLocker/MSI and Script',
          'Microsoft-Windows-AppLocker/EXE and DLL',
          'Microsoft-Windows-AppLocker/Packaged app-Deployment',
          'Microsoft-Windows-AppLocker/Packaged app-Execution',
        ],
      },
    },
    {
      logsource: { product: 'windows', service: 'msexchange-management' },
      conditions: { Channel: 'MSExchange Management' },
    },
    {
      logsource: { product: 'windows', service: 'windefend' },
      conditions: { Channel: 'Microsoft-Windows-Windows Defender/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'firewall-as' },
      conditions: { Channel: 'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall' },
    },
    {
      logsource: { product: 'windows', service: 'bits-client' },
      conditions: { Channel: 'Microsoft-Windows-Bits-Client/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'security-mitigations' },
      conditions: {
        Channel: [
          'Microsoft-Windows-Security-Mitigations/Kernel Mode',
          'Microsoft-Windows-Security-Mitigations/User Mode',
        ],
      },
    },
    {
      logsource: { product: 'windows', service: 'diagnosis-scripted' },
      conditions: { Channel: 'Microsoft-Windows-Diagnosis-Scripted/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'shell-core' },
      conditions: { Channel: 'Microsoft-Windows-Shell-Core/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'openssh' },
      conditions: { Channel: 'OpenSSH/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'ldap' },
      conditions: { Channel: 'Microsoft-Windows-LDAP-Client/Debug' },
    },
    {
      logsource: { product: 'windows', service: 'bitlocker' },
      conditions: { Channel: 'Microsoft-Windows-BitLocker/BitLocker Management' },
    },
    {
      logsource: { product: 'windows', service: 'vhdmp' },
      conditions: { Channel: 'Microsoft-Windows-VHDMP/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'appxdeployment-server' },
      conditions: { Channel: 'Microsoft-Windows-AppXDeploymentServer/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'lsa-server' },
      conditions: { Channel: 'Microsoft-Windows-LSA/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'appxpackaging-om' },
      conditions: { Channel: 'Microsoft-Windows-AppxPackaging/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'dns-client' },
      conditions: { Channel: 'Microsoft-Windows-DNS Client Events/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'appmodel-runtime' },
      conditions: { Channel: 'Microsoft-Windows-AppModel-Runtime/Admin' },
    },
    {
      logsource: { product: 'windows', service: 'capi2' },
      conditions: { Channel: 'Microsoft-Windows-CAPI2/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'certificateservicesclient-lifecycle-system' },
      conditions: {
        Channel: 'Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational',
      },
    },
    {
      logsource: { product: 'windows', service: 'kernel-shimengine' },
      conditions: {
        Channel: [
          'Microsoft-Windows-Kernel-ShimEngine/Operational',
          'Microsoft-Windows-Kernel-ShimEngine/Diagnostic',
        ],
      },
    },
    {
      logsource: { product: 'windows', service: 'application-experience' },
      conditions: {
        Channel: [
          'Microsoft-Windows-Application-Experience/Program-Telemetry',
          'Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant',
        ],
      },
    },
    {
      logsource: { product: 'windows', service: 'ntfs' },
      conditions: { Channel: 'Microsoft-Windows-Ntfs/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'hyper-v-worker' },
      conditions: { Channel: 'Microsoft-Windows-Hyper-V-Worker' },
    },
    {
      logsource: { product: 'windows', service: 'kernel-event-tracing' },
      conditions: { Channel: 'Microsoft-Windows-Kernel-EventTracing' },
    },
    {
      logsource: { product: 'windows', service: 'sense' },
      conditions: { Channel: 'Microsoft-Windows-SENSE/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'servicebus-client' },
      conditions: {
        Channel: ['Microsoft-ServiceBus-Client/Admin', 'Microsoft-ServiceBus-Client/Operational'],
      },
    },
    {
      logsource: { product: 'windows', service: 'iis-configuration' },
      conditions: { Channel: 'Microsoft-IIS-Configuration/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'dns-server' },
      conditions: { Channel: 'DNS Server' },
    },
    {
      logsource: { product: 'windows', service: 'dns-server-analytic' },
      conditions: { Channel: 'Microsoft-Windows-DNSServer/Analytical' },
    },
    {
      logsource: { product: 'windows', service: 'driver-framework' },
      conditions: { Channel: 'Microsoft-Windows-DriverFrameworks-UserMode/Operational' },
    },
    {
      logsource: { product: 'windows', service: 'microsoft-servicebus-client' },
      conditions: {
        Channel: ['Microsoft-ServiceBus-Client/Admin', 'Microsoft-ServiceBus-Client/Operational'],
      },
    },
  ],
};
