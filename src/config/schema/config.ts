// config.yml: global settings. Each section is one file under ./settings; adding a section is one file and one line
// in `sections` below.

import { type Static } from '@sinclair/typebox';

import { AllOptional, NonEmptyString, Strict, fileOptions } from './common.js';
import { AiSection } from './settings/ai.js';
import { AlertmanagerSection } from './settings/alertmanager.js';
import { MaintenanceSection } from './settings/maintenance.js';
import { NotificationsSection } from './settings/notifications.js';
import { ProberSection } from './settings/prober.js';
import { ReceiverSection } from './settings/receiver.js';
import { RetentionSection } from './settings/retention.js';
import { ServerSection } from './settings/server.js';
import { SlaSection } from './settings/sla.js';
import { StorageSection } from './settings/storage.js';

const sections = {
  data_dir: NonEmptyString({ default: 'data', description: 'Where Vigil keeps its data (--data-dir wins).' }),
  server: ServerSection,
  prober: ProberSection,
  sla: SlaSection,
  storage: StorageSection,
  retention: RetentionSection,
  maintenance: MaintenanceSection,
  receiver: ReceiverSection,
  alertmanager: AlertmanagerSection,
  notifications: NotificationsSection,
  ai: AiSection,
};

export const ConfigFileSchema = Strict(
  AllOptional(sections),
  fileOptions('Vigil settings', 'Global settings of Vigil (config/config.yml); every key is optional.'),
);

export type RawConfigFile = Static<typeof ConfigFileSchema>;
