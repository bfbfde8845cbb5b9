/** Every user-facing string of the bridge module, in English and French. */
import type { Dictionaries } from '../../core/i18n.js';

export const dict: Dictionaries = {
  en: {
    restart_title: 'Restart Home Assistant for Monitor bridge {version}',
    restart_message:
      'Monitor installed version {version} of the monitor_bridge integration in {path}. Restart Home Assistant to load it, then add it under Settings → Devices & services.',
  },
  fr: {
    restart_title: 'Redémarrez Home Assistant pour Monitor bridge {version}',
    restart_message:
      "Monitor a installé la version {version} de l'intégration monitor_bridge dans {path}. Redémarrez Home Assistant pour la charger, puis ajoutez-la dans Paramètres → Appareils et services.",
  },
};
