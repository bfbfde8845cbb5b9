/**
 * Every key the cards ask HA's `hass.localize` for exists in HA 2026.11's own frontend, in
 * English and French: cards/preview/ha-texts.js holds its texts (scripts/extract-ha-texts.mjs;
 * test/e2e/ha-texts.test.ts checks them against the HA install itself).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error: generated plain JavaScript, without types
import { HA_TEXTS as haTexts } from '../../cards/preview/ha-texts.js';

const HA_TEXTS = haTexts as Record<'en' | 'fr', Record<string, string>>;

const ROOT = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe("texts taken from Home Assistant's frontend", () => {
  it('every HA key the cards name exists in English and French', () => {
    const code = sources(join(ROOT, 'cards/src'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    // Whole keys ('ui.common.cancel') and the fixed start of keys built at run time (`…modes.${m}`).
    const keys = [...code.matchAll(/['`](ui\.[\w.-]+?)(\$\{|['`])/g)].map((m) => [m[1] as string, m[2]]);
    assert.ok(keys.length >= 8, `found only ${keys.length} keys`);
    for (const lang of ['en', 'fr'] as const) {
      const texts = HA_TEXTS[lang];
      for (const [key, end] of keys) {
        // A key ending in '.' is a prefix kept in a constant (HA_ACTION_EDITOR).
        const prefix = end === '${' || (key as string).endsWith('.');
        const found = prefix
          ? Object.keys(texts).some((k) => k.startsWith(key as string))
          : (key as string) in texts;
        assert.ok(found, `${lang}: ${key}${prefix ? '…' : ''} is not one of HA's texts`);
      }
    }
    // The keys built at run time, in full.
    for (const mode of ['armed_home', 'armed_away', 'armed_night', 'armed_vacation', 'armed_custom_bypass'])
      assert.ok(HA_TEXTS.fr[`ui.card.alarm_control_panel.modes.${mode}`]);
    for (const kind of ['default_action', 'more-info', 'toggle', 'navigate', 'url', 'perform-action', 'none'])
      assert.ok(HA_TEXTS.fr[`ui.panel.lovelace.editor.action-editor.actions.${kind}`]);
    for (const field of ['title', 'name', 'entity', 'icon', 'tap_action', 'hold_action', 'double_tap_action'])
      assert.ok(HA_TEXTS.fr[`ui.panel.lovelace.editor.card.generic.${field}`]);
  });
});
