// Which checks the public may see: those a public status-page component lists. Without status-page.yml every group
// is a public component, so every check is public; a check that no public component lists is private.

import type { StatusPageSettings } from '../../config/types.js';

export function publicCheckIds(statusPage: Pick<StatusPageSettings, 'components'>): ReadonlySet<string> {
  return new Set(
    statusPage.components.filter((component) => component.public).flatMap((component) => component.checks),
  );
}
