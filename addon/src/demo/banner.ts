/**
 * What `monitor demo` prints for Home Assistant: exactly what to type in HA's MQTT dialog
 * (Settings → Devices & services → Add integration → MQTT), for the broker it started.
 */
import { networkInterfaces } from 'node:os';
import type { Lang } from '../core/i18n.js';
import type { DemoBroker } from './demo-broker.js';

/** The addresses HA can use: the LAN ones when listening on every interface, else the one it listens on. */
export function brokerAddresses(
  host: string,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  const lan = Object.values(interfaces)
    .flat()
    .filter((i) => i && i.family === 'IPv4' && !i.internal)
    .map((i) => i?.address as string);
  return lan.length > 0 ? lan : ['127.0.0.1'];
}

export function haDialogLines(b: DemoBroker, lang: Lang, addresses = brokerAddresses(b.host)): string[] {
  const fr = lang === 'fr';
  const lines = [
    fr
      ? 'Home Assistant → Paramètres → Appareils et services → Ajouter une intégration → MQTT :'
      : 'Home Assistant → Settings → Devices & services → Add integration → MQTT:',
    fr ? `    Courtier : ${addresses.join(' ou ')}` : `    Broker: ${addresses.join(' or ')}`,
    fr ? `    Port : ${b.port}` : `    Port: ${b.port}`,
    fr ? '    Nom d’utilisateur, mot de passe : laisser vides' : '    Username, password: leave empty',
  ];
  if (b.protocols.includes(5))
    lines.push(
      fr ? '    Protocole MQTT : 5 (par défaut) ou 3.1.1' : '    MQTT protocol: 5 (the default) or 3.1.1',
    );
  else
    lines.push(
      fr
        ? '    Protocole MQTT : 3.1.1 (options avancées) ; ce broker intégré ne parle pas MQTT 5 : installez mosquitto pour MQTT 5'
        : '    MQTT protocol: 3.1.1 (advanced options); this embedded broker does not speak MQTT 5: install mosquitto for MQTT 5',
    );
  if (b.host === '127.0.0.1' || b.host === 'localhost')
    lines.push(
      fr
        ? '  (Home Assistant sur une autre machine : relancez avec --lan)'
        : '  (Home Assistant on another machine: start again with --lan)',
    );
  else
    lines.push(
      fr
        ? '  (sur le réseau local, sans mot de passe : toute machine du réseau peut s’y connecter)'
        : '  (on the LAN without a password: any machine of the network can connect)',
    );
  return lines;
}
