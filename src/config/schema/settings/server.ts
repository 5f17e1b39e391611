// config.yml `server:` where the prober and the receiver listen; the command-line flags win over these.

import { Type } from '@sinclair/typebox';

import { LISTEN_ADDRESS_PATTERN } from '../../address.js';
import { Strict } from '../common.js';

const ListenAddress = (defaultValue: string, description: string) =>
  Type.String({
    pattern: LISTEN_ADDRESS_PATTERN,
    patternErrorMessage: 'must be host:port, :port or [ipv6]:port, e.g. 0.0.0.0:9470',
    default: defaultValue,
    description,
  });

export const ServerSection = Strict(
  {
    prober_listen: Type.Optional(ListenAddress('0.0.0.0:9470', 'Metrics, status page and API of the prober.')),
    receiver_listen: Type.Optional(
      ListenAddress('0.0.0.0:9471', 'Alertmanager webhook and admin API of the receiver.'),
    ),
  },
  { description: 'Listen addresses (--prober-listen and --receiver-listen win).' },
);
