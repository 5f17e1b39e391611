// Finds Prometheus and Alertmanager on the PATH, as Debian installs them (`prometheus`, and Alertmanager as
// `prometheus-alertmanager`; upstream's tarball calls it `alertmanager`, which is taken too). A missing one is an
// error naming the Debian package that provides it.

import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export type StackServer = 'prometheus' | 'alertmanager';

interface BinarySpec {
  names: string[];
  debianPackage: string;
}

const BINARIES: Record<StackServer, BinarySpec> = {
  prometheus: { names: ['prometheus'], debianPackage: 'prometheus' },
  alertmanager: { names: ['prometheus-alertmanager', 'alertmanager'], debianPackage: 'prometheus-alertmanager' },
};

export class MissingBinaryError extends Error {
  constructor(readonly missing: StackServer[]) {
    const packages = missing.map((server) => BINARIES[server].debianPackage);
    const names = missing.map((server) => BINARIES[server].names.join(' or ')).join(', ');
    super(
      `${names} not found on the PATH: \`vigil stack\` runs them from there. ` +
        `Install the Debian package${packages.length > 1 ? 's' : ''} (apt-get install ${packages.join(' ')}), ` +
        'or run `vigil start` and a Prometheus and Alertmanager of your own.',
    );
  }
}

/** The absolute path of each server's binary; throws MissingBinaryError naming every one not found. */
export function findStackBinaries(pathVariable: string | undefined): Record<StackServer, string> {
  const directories = (pathVariable ?? '').split(path.delimiter).filter((directory) => directory !== '');
  const found: Partial<Record<StackServer, string>> = {};
  const missing: StackServer[] = [];
  for (const server of Object.keys(BINARIES) as StackServer[]) {
    const binary = firstExecutable(BINARIES[server].names, directories);
    if (binary === undefined) missing.push(server);
    else found[server] = binary;
  }
  if (missing.length > 0) throw new MissingBinaryError(missing);
  return found as Record<StackServer, string>;
}

function firstExecutable(names: string[], directories: string[]): string | undefined {
  for (const name of names) {
    for (const directory of directories) {
      const candidate = path.join(directory, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
