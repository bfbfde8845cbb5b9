/**
 * The fake `hass` of the preview page and the browser tests answers `localize` and
 * `formatEntityState` with cards/preview/ha-texts.js: those must be the very texts of the HA
 * release the end-to-end suite installs (its frontend's translations and its components'
 * state names), in English and French. Regenerate with scripts/extract-ha-texts.mjs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error: generated plain JavaScript, without types
import { HA_ICON_PATHS, HA_ICON_RULES } from '../../cards/preview/ha-icon-data.js';
// @ts-expect-error: generated plain JavaScript, without types
import { HA_TEXTS } from '../../cards/preview/ha-texts.js';
// @ts-expect-error: a plain JavaScript script, without types
import { extractHaIcons } from '../../scripts/extract-ha-icons.mjs';
// @ts-expect-error: a plain JavaScript script, without types
import { extractHaTexts, sitePackages } from '../../scripts/extract-ha-texts.mjs';
import { findHaInstall } from './ha-install.js';

test('the fake hass has the texts of the HA release the e2e suite installs', () => {
  const install = findHaInstall();
  assert.deepEqual(HA_TEXTS, extractHaTexts(sitePackages(install.root)), `HA ${install.version}`);
});

test("the preview page's icon stand-ins follow the icon rules of that HA release", () => {
  const install = findHaInstall();
  assert.deepEqual(
    { rules: HA_ICON_RULES, paths: HA_ICON_PATHS },
    extractHaIcons(sitePackages(install.root)),
    `HA ${install.version}`,
  );
});
