/**
 * Section `bridge`: installs the monitor_bridge integration into Home Assistant when asked
 * (`install: true`) and tells the user to restart Home Assistant through a persistent
 * notification (Home Assistant's websocket API has no command to create a repair issue from
 * outside; the notification is the documented way for an app to ask something of the user).
 */
import type { MonitorConfig } from '../../config/types.generated.js';
import { translator } from '../../core/i18n.js';
import type { ModuleContext, MonitorModule } from '../../core/module.js';
import { dict } from './i18n.js';
import { findShippedIntegration, installIntegration } from './install.js';

type Config = NonNullable<MonitorConfig['bridge']>;

export const RESTART_NOTIFICATION_ID = 'monitor_bridge_restart';

class Bridge implements MonitorModule {
  constructor(
    private readonly ctx: ModuleContext<Config>,
    private readonly source: string | undefined,
  ) {}

  async start(): Promise<void> {
    if (!this.ctx.config.install) return;
    if (!this.source) {
      this.ctx.setStatus('degraded', 'monitor_bridge is not shipped with this installation');
      return;
    }
    const outcome = installIntegration(this.source, this.ctx.config.config_dir);
    this.ctx.log.info(() => `monitor_bridge ${outcome.version}: ${outcome.action} (${outcome.path})`);
    if (outcome.action !== 'installed' && outcome.action !== 'updated') return;
    const t = translator(dict, this.ctx.lang);
    const params = { version: outcome.version, path: outcome.path };
    const ha = this.ctx.ha;
    // In the background: the HA client connects after the modules start (and may retry for a
    // while); a failure only loses the reminder, the integration is installed.
    void ha
      ?.ready()
      .then(() =>
        ha.callService('persistent_notification', 'create', {
          notification_id: RESTART_NOTIFICATION_ID,
          title: t('restart_title', params),
          message: t('restart_message', params),
        }),
      )
      .catch((err: unknown) => this.ctx.log.warn(() => 'could not ask Home Assistant for a restart', err));
  }

  async stop(): Promise<void> {}
}

export const create = (ctx: ModuleContext<Config>, source = findShippedIntegration()) =>
  new Bridge(ctx, source);
