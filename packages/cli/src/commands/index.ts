import type { Command } from '../command.ts';
import { playbookCommands } from './playbook.command.ts';
import { actionCommands } from './action.command.ts';
import { containmentCommands } from './containment.command.ts';
import { agentEnrollCommand, agentReleaseCommand, agentRunCommand } from './agent.command.ts';
import { labAttackCommand, labDownCommand, labStatusCommand, labUpCommand } from './lab.command.ts';
import { labScenarioCommand } from './lab-scenario.command.ts';
import { evidenceAddCommand } from './evidence-add.command.ts';
import {
  evidenceBundleCommand,
  incidentReportCommand,
  reportMonthlyCommand,
  verifyBundleCommand,
} from './report.command.ts';
import { reportTemplateCommand } from './report-template.command.ts';
import { serveCommand } from './serve.command.ts';
import { demoCommand } from './demo.command.ts';
import { tenantCreateCommand, tenantListCommand } from './tenant.command.ts';
import { tokenCreateCommand, tokenRevokeCommand } from './token-create.command.ts';
import { userCreateCommand } from './user-create.command.ts';
import { userUnlockCommand } from './user-unlock.command.ts';
import { verifyJournalCommand } from './verify-journal.command.ts';
import { evtxDumpCommand } from './evtx-dump.command.ts';
import { huntCommand } from './hunt.command.ts';
import { rulesCheckCommand } from './rules-check.command.ts';
import {
  rulesDisableCommand,
  rulesEnableCommand,
  rulesListCommand,
  rulesUpdateCommand,
} from './rules-packs.command.ts';
import { assetsExportCommand, assetsImportCommand } from './assets.command.ts';
import { readinessCommand } from './readiness.command.ts';
import { searchCommand } from './search.command.ts';
import { alertsListCommand } from './alerts.command.ts';
import { incidentIdentificationCommand } from './incident-identification.command.ts';
import { ingestCommand } from './ingest.command.ts';
import { deadLetterListCommand, deadLetterReplayCommand } from './deadletter.command.ts';
import { incidentVerifyCommand } from './incident-verify.command.ts';
import { contractCommands } from './contract.command.ts';
import {
  incidentProcessTreeCommand,
  incidentTimelineCommand,
} from './incident-analysis.command.ts';

import { guaranteeCommands } from './guarantee.command.ts';
import { notifyCommands } from './notify.command.ts';
import { intelCommands } from './intel.command.ts';

/** Every subcommand of `cordon`. Add one line per command file. */
export const commands: readonly Command[] = [
  serveCommand,
  demoCommand,
  tenantCreateCommand,
  tenantListCommand,
  userCreateCommand,
  userUnlockCommand,
  tokenCreateCommand,
  tokenRevokeCommand,
  evidenceAddCommand,
  evidenceBundleCommand,
  verifyBundleCommand,
  incidentReportCommand,
  reportMonthlyCommand,
  reportTemplateCommand,
  verifyJournalCommand,
  evtxDumpCommand,
  rulesCheckCommand,
  rulesUpdateCommand,
  rulesListCommand,
  rulesEnableCommand,
  rulesDisableCommand,
  huntCommand,
  agentRunCommand,
  agentEnrollCommand,
  agentReleaseCommand,
  labUpCommand,
  labStatusCommand,
  labDownCommand,
  labAttackCommand,
  labScenarioCommand,
  ...actionCommands,
  ...containmentCommands,
  assetsImportCommand,
  assetsExportCommand,
  readinessCommand,
  searchCommand,
  alertsListCommand,
  incidentIdentificationCommand,
  ingestCommand,
  deadLetterListCommand,
  deadLetterReplayCommand,
  incidentVerifyCommand,
  ...playbookCommands,
  incidentTimelineCommand,
  incidentProcessTreeCommand,
  ...contractCommands,
  ...guaranteeCommands,
  ...notifyCommands,
  ...intelCommands,
];
