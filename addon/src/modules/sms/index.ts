/** The sms module's factory (registered in modules/index.ts). */
import type { ModuleContext } from '../../core/module.js';
import { type SmsConfig, SmsModule } from './module.js';

export function create(ctx: ModuleContext<SmsConfig>): SmsModule {
  return new SmsModule(ctx);
}
