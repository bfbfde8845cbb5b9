/**
 * French titles and descriptions of every configuration option, keyed by option path
 * (`mqtt.url`, `linky.meters[].port`: `[]` marks the items of a list). The English texts stay in
 * the JSON Schema (schema.ts and each module's schema.ts); this one separate map lets the app's
 * translations (addon/translations/fr.yaml, made by `npm run gen`) say everything in French
 * without every module editing its schema. test/ship/app-manifest.test.ts fails when an option
 * has no French entry here, or when an entry names an option that no longer exists.
 */
export interface FrenchText {
  title: string;
  description: string;
}

/** The alarm's modes share their settings: one set of texts per mode. */
function alarmModeTexts(mode: string, name: string): Record<string, FrenchText> {
  const p = `alarm.modes.${mode}`;
  return {
    [p]: { title: name, description: `Réglages du mode ${name.toLowerCase()}.` },
    [`${p}.enabled`]: { title: 'Activé', description: 'Ce mode peut être armé.' },
    [`${p}.exit_delay`]: {
      title: 'Délai de sortie',
      description: 'Secondes entre l’ordre d’armer et l’armement.',
    },
    [`${p}.entry_delay`]: {
      title: 'Délai d’entrée',
      description: 'Secondes entre l’ouverture d’un capteur temporisé et le déclenchement.',
    },
    [`${p}.trigger_time`]: {
      title: 'Durée de déclenchement',
      description: 'Secondes de sirène ; 0 : jusqu’au désarmement.',
    },
    [`${p}.sensors`]: {
      title: 'Capteurs',
      description: 'Entités (parmi « sensors ») qui comptent dans ce mode ; vide : toutes.',
    },
  };
}

export const FRENCH_OPTIONS: Record<string, FrenchText> = {
  node_id: {
    title: 'Identifiant de nœud',
    description:
      'Identifiant unique de cette instance, utilisé dans les sujets MQTT et les identifiants uniques, pour que plusieurs machines partagent un broker. Minuscules, chiffres et tirets bas.',
  },
  language: {
    title: 'Langue',
    description:
      'Langue des noms d’entités et des messages : fr, en, ou auto (langue du système, ou de Home Assistant dans l’app).',
  },
  data_dir: {
    title: 'Dossier de données',
    description:
      'Où sont gardés les journaux (SMS à envoyer, messages reçus) et l’état. Vide : /data dans l’app, sinon un dossier « monitor-data » à côté du fichier de configuration.',
  },
  log: {
    title: 'Journalisation',
    description: 'Niveaux de log, global et par espace (par ex. « sms », « mqtt »).',
  },
  'log.level': { title: 'Niveau par défaut', description: 'Niveau de tout espace qui n’a pas le sien.' },
  'log.levels': { title: 'Niveaux par espace', description: 'Par exemple {"sms": "debug"}.' },
  mqtt: {
    title: 'MQTT',
    description: 'Le broker qu’écoute Home Assistant. Dans l’app, le Supervisor le fournit.',
  },
  'mqtt.url': { title: 'URL du broker', description: 'mqtt://hôte:1883 ou mqtts://hôte:8883.' },
  'mqtt.username': { title: 'Utilisateur', description: 'Nom d’utilisateur du broker, s’il en demande un.' },
  'mqtt.password': {
    title: 'Mot de passe',
    description: 'Mot de passe du broker (jamais journalisé). Peut valoir « ${NOM_VARIABLE} ».',
  },
  'mqtt.client_id': {
    title: 'Identifiant client',
    description: 'Identifiant client MQTT ; vide : monitor_<node_id>.',
  },
  'mqtt.base_topic': { title: 'Sujet racine', description: 'Racine des sujets de Monitor.' },
  'mqtt.discovery_prefix': {
    title: 'Préfixe de découverte',
    description: 'Le préfixe de découverte de Home Assistant.',
  },
  'mqtt.protocol_version': {
    title: 'Version du protocole',
    description: '5 (MQTT 5, repli sur 3.1.1 si le broker refuse) ou 4 (3.1.1 seulement).',
  },
  'mqtt.keepalive': { title: 'Keepalive', description: 'Secondes entre deux pings.' },
  'mqtt.reconnect_max_seconds': {
    title: 'Attente maximale de reconnexion',
    description: 'Plus longue attente entre deux tentatives de reconnexion, en secondes.',
  },
  'mqtt.tls': { title: 'TLS', description: 'Certificats pour mqtts:// (chemins de fichiers PEM).' },
  'mqtt.tls.ca': { title: 'Fichier CA', description: 'Chemin du certificat de l’autorité (PEM).' },
  'mqtt.tls.cert': { title: 'Certificat client', description: 'Chemin du certificat client (PEM).' },
  'mqtt.tls.key': { title: 'Clé client', description: 'Chemin de la clé client (PEM).' },
  'mqtt.tls.reject_unauthorized': {
    title: 'Vérifier le serveur',
    description: 'Refuser un serveur dont le certificat ne se vérifie pas.',
  },
  discovery: {
    title: 'Découverte et états',
    description: 'Comment les entités et leurs états sont publiés.',
  },
  'discovery.birth_topic': {
    title: 'Sujet de naissance',
    description: 'Home Assistant s’y annonce (message « online »).',
  },
  'discovery.coalesce_ms': {
    title: 'Fenêtre de regroupement',
    description: 'Les mises à jour d’un appareil dans ce nombre de millisecondes partent en un seul message.',
  },
  'discovery.refresh_minutes': {
    title: 'Période de rafraîchissement',
    description: 'Chaque état est renvoyé à ce rythme même inchangé (0 : jamais).',
  },
  'discovery.republish_delay_ms': {
    title: 'Délai de republication',
    description: 'Plus long délai aléatoire avant de republier après un redémarrage de Home Assistant.',
  },
  'discovery.orphan_grace_seconds': {
    title: 'Délai de nettoyage des orphelins',
    description:
      'Secondes après la connexion avant d’effacer du broker les configurations, états et disponibilités laissés par des exécutions précédentes de ce node_id et que plus rien ne déclare (section de module retirée, imprimante renommée, compteur remplacé) ; 0 : ne jamais les effacer.',
  },
  homeassistant: {
    title: 'Websocket Home Assistant',
    description:
      'Facultatif : pour l’import de statistiques et les appels de services. Dans l’app, le jeton du Supervisor sert quand aucun jeton n’est donné.',
  },
  'homeassistant.url': {
    title: 'URL',
    description:
      'par ex. http://homeassistant.local:8123 ; vide : le Supervisor dans l’app, sinon désactivé.',
  },
  'homeassistant.token': {
    title: 'Jeton longue durée',
    description:
      'Profil → Sécurité → Jetons d’accès longue durée (jamais journalisé). Peut valoir « ${NOM_VARIABLE} ».',
  },
  sms: {
    title: 'Passerelle SMS',
    description: 'Un modem GSM sur un port série : alertes et commandes par SMS.',
  },
  'sms.port': {
    title: 'Port série',
    description: 'Préférez un chemin /dev/serial/by-id/… : il survit à un débranchement.',
  },
  'sms.baud': {
    title: 'Vitesse',
    description: 'Vitesse série ; 0 la détecte parmi 115200, 9600, 57600, 38400, 19200.',
  },
  'sms.sim_pin': {
    title: 'Code PIN de la SIM',
    description: 'Saisi quand la SIM le demande (jamais journalisé ; un PIN refusé n’est pas réessayé).',
  },
  'sms.smsc': {
    title: 'Centre SMS',
    description: 'Numéro du centre de messages si la SIM n’en a pas ou un faux ; vide : celui de la SIM.',
  },
  'sms.storage': {
    title: 'Mémoire des messages',
    description: 'Mémoire préférée (SM, ME, MT) ; vide : la première offerte parmi SM, ME, MT.',
  },
  'sms.default_recipients': {
    title: 'Destinataires par défaut',
    description: 'Numéros qui reçoivent les messages de l’entité notify (notify.send_message de HA).',
  },
  'sms.default_country': {
    title: 'Pays par défaut',
    description: 'Pays des numéros nationaux (0612…), pour la normalisation E.164 (FR, BE, CH, DE, …).',
  },
  'sms.status_reports': {
    title: 'Accusés de réception',
    description: 'Demander au réseau un accusé de réception pour chaque message.',
  },
  'sms.max_per_minute': {
    title: 'Limite de débit',
    description: 'Au plus ce nombre de parties de SMS par minute.',
  },
  'sms.max_attempts': {
    title: 'Tentatives',
    description:
      'Tentatives d’envoi sur erreur passagère (+CMS ERROR 500, pas de réseau…) avant qu’un message échoue.',
  },
  'sms.retry_initial_seconds': {
    title: 'Délai du premier essai',
    description: 'Secondes avant le premier nouvel essai ; double à chaque fois.',
  },
  'sms.poll_seconds': {
    title: 'Période de balayage et d’état',
    description:
      'Secondes entre deux balayages AT+CMGL (rattrape ce qui a été manqué) et lectures du signal et de l’enregistrement.',
  },
  'sms.watchdog_seconds': {
    title: 'Période du chien de garde',
    description:
      'Secondes de silence avant de sonder le modem ; deux sondes sans réponse le rouvrent et le réinitialisent.',
  },
  'sms.command_timeout_seconds': {
    title: 'Délai des commandes AT',
    description: 'Secondes d’attente d’un résultat final.',
  },
  'sms.send_timeout_seconds': {
    title: 'Délai d’envoi',
    description: 'Secondes d’attente de +CMGS (temps réseau compris).',
  },
  'sms.reassembly_timeout_seconds': {
    title: 'Délai des SMS en plusieurs parties',
    description:
      'Secondes d’attente des parties manquantes d’un long SMS avant de le livrer marqué incomplet.',
  },
  'sms.journal_days': {
    title: 'Conservation des journaux',
    description:
      'Jours pendant lesquels les messages terminés restent dans les journaux (doublons entre redémarrages).',
  },
  'sms.commands': {
    title: 'Commandes SMS',
    description: 'Mots-clés qu’un expéditeur autorisé peut envoyer pour agir sur la maison.',
  },
  'sms.commands.enabled': {
    title: 'Activées',
    description: 'Si les SMS reçus sont comparés aux mots-clés.',
  },
  'sms.commands.authorized_senders': {
    title: 'Expéditeurs autorisés',
    description: 'Numéros autorisés à commander (tout format ; comparés en E.164).',
  },
  'sms.commands.pin': {
    title: 'PIN des commandes',
    description: 'PIN des mots-clés avec require_pin (jamais journalisé).',
  },
  'sms.commands.keywords': {
    title: 'Mots-clés',
    description: 'Mot-clé → action ou service Home Assistant.',
  },
  'sms.commands.keywords[].keyword': {
    title: 'Mot-clé',
    description: 'Premier mot du SMS (casse et accents ignorés), par ex. « Alon ».',
  },
  'sms.commands.keywords[].action': {
    title: 'Action du bus',
    description: 'Action offerte par un autre module, par ex. « alarm.arm_away ». Soit ceci, soit service.',
  },
  'sms.commands.keywords[].service': {
    title: 'Service Home Assistant',
    description:
      'domaine.service appelé par le websocket, par ex. « light.turn_on ». Soit ceci, soit action.',
  },
  'sms.commands.keywords[].data': {
    title: 'Données',
    description: 'Données fixes passées à l’action ou au service (jamais tirées du SMS).',
  },
  'sms.commands.keywords[].require_pin': {
    title: 'Exiger le PIN',
    description: 'Le SMS doit être « <mot-clé> <PIN> ».',
  },
  'sms.commands.max_pin_failures': {
    title: 'Échecs de PIN avant blocage',
    description: 'PIN faux d’affilée qui bloquent un expéditeur.',
  },
  'sms.commands.lockout_minutes': {
    title: 'Blocage',
    description: 'Minutes pendant lesquelles un expéditeur reste bloqué.',
  },
  'sms.commands.max_per_hour': {
    title: 'Commandes par heure',
    description: 'Commandes acceptées par expéditeur et par heure.',
  },
  'sms.commands.reply': {
    title: 'Réponse',
    description: 'Répondre à chaque commande par SMS avec son résultat (jamais aux expéditeurs inconnus).',
  },
  linky: {
    title: 'Compteur Linky',
    description: 'Valeurs en direct de la sortie série TIC et historique Enedis (Conso API).',
  },
  'linky.meters': {
    title: 'Compteurs',
    description:
      'Une entrée par adaptateur TIC (chaque compteur est son propre appareil, son numéro dans les identifiants).',
  },
  'linky.meters[].port': {
    title: 'Port série',
    description: 'Adaptateur TIC, par ex. /dev/serial/by-id/usb-… (survit à un débranchement).',
  },
  'linky.meters[].name': {
    title: 'Nom',
    description: 'Nom de l’appareil dans Home Assistant ; vide : « Linky <numéro du compteur> ».',
  },
  'linky.meters[].baud': {
    title: 'Vitesse',
    description: 'auto (essaie 1200 puis 9600), 1200 (mode historique) ou 9600 (mode standard).',
  },
  'linky.meters[].mode': {
    title: 'Mode TIC',
    description: 'auto (d’après les séparateurs), historique ou standard.',
  },
  'linky.availability_timeout_s': {
    title: 'Délai de disponibilité',
    description: 'Un compteur sans trame valide pendant ce nombre de secondes est indiqué indisponible.',
  },
  'linky.timezone': {
    title: 'Fuseau horaire',
    description: 'Fuseau du compteur et des données Enedis (jours, puissance maximale du jour).',
  },
  'linky.power_min_interval_s': {
    title: 'Intervalle de publication des puissances',
    description: 'Puissances et intensités publiées au plus à ce rythme (index et tarifs tout de suite).',
  },
  'linky.power_deadband_va': {
    title: 'Seuil de variation de puissance',
    description: 'Une variation de puissance inférieure (VA) n’est pas publiée.',
  },
  'linky.index_guard_margin': {
    title: 'Marge de contrôle des index',
    description:
      'Un index qui croît plus vite que la puissance souscrite × cette marge depuis la trame précédente est retenu (trame corrompue).',
  },
  'linky.enedis': {
    title: 'Historique Enedis',
    description:
      'Historique et coûts dans les statistiques de Home Assistant via Conso API (nécessite homeassistant.*).',
  },
  'linky.enedis.token': {
    title: 'Jeton',
    description:
      'Jeton Conso API (conso.boris.sh), jamais journalisé. Peut valoir « ${NOM_VARIABLE} ». Vide : désactivé.',
  },
  'linky.enedis.prms': {
    title: 'PRM',
    description:
      'Points de livraison (14 chiffres) à importer ; vide : tous ceux auxquels le jeton donne accès.',
  },
  'linky.enedis.base_url': { title: 'URL de l’API', description: 'URL de base de Conso API.' },
  'linky.enedis.production': {
    title: 'Production',
    description: 'Importer aussi la production (producteurs).',
  },
  'linky.enedis.backfill_days': {
    title: 'Rattrapage',
    description: 'Jours d’historique à importer la première fois (au plus 365).',
  },
  'linky.enedis.hourly_days': {
    title: 'Historique horaire',
    description:
      'Jours récents importés heure par heure depuis la courbe de charge ; les plus anciens en totaux journaliers.',
  },
  'linky.enedis.sync_hour': {
    title: 'Heure de synchronisation',
    description:
      'Synchronisation quotidienne à une minute aléatoire après cette heure locale (données publiées vers 8 h).',
  },
  'linky.offpeak_hours': {
    title: 'Heures creuses',
    description: 'Pour les coûts des contrats HP/HC, par ex. ["22:00-06:00"] (heure locale).',
  },
  'linky.prices': {
    title: 'Prix',
    description: 'Prix de l’énergie avec leurs périodes, pour les statistiques de coût. Vide : pas de coûts.',
  },
  'linky.prices[].from': {
    title: 'Du',
    description: 'Premier jour (AAAA-MM-JJ) où ces prix s’appliquent ; vide : depuis toujours.',
  },
  'linky.prices[].to': {
    title: 'Au',
    description: 'Dernier jour (AAAA-MM-JJ) où ces prix s’appliquent ; vide : toujours en vigueur.',
  },
  'linky.prices[].base': {
    title: 'Prix base',
    description: 'Prix base, en unités monétaires par kWh (TTC). 0 : non utilisé.',
  },
  'linky.prices[].hc': {
    title: 'Prix heures creuses',
    description: 'Prix heures creuses, en unités monétaires par kWh (TTC). 0 : non utilisé.',
  },
  'linky.prices[].hp': {
    title: 'Prix heures pleines',
    description: 'Prix heures pleines, en unités monétaires par kWh (TTC). 0 : non utilisé.',
  },
  'linky.prices[].tempo_blue_hc': {
    title: 'Prix Tempo bleu heures creuses',
    description: 'Prix Tempo bleu heures creuses, en unités monétaires par kWh (TTC). 0 : non utilisé.',
  },
  'linky.prices[].tempo_blue_hp': {
    title: 'Prix Tempo bleu heures pleines',
    description: 'Prix Tempo bleu heures pleines, en unités monétaires par kWh (TTC). 0 : non utilisé.',
  },
  'linky.prices[].tempo_white_hc': {
    title: 'Prix Tempo blanc heures creuses',
    description: 'Prix Tempo blanc heures creuses, en unités monétaires par kWh (TTC). 0 : non utilisé.',
  },
  'linky.prices[].tempo_white_hp': {
    title: 'Prix Tempo blanc heures pleines',
    description: 'Prix Tempo blanc heures pleines, en unités monétaires par kWh (TTC). 0 : non utilisé.',
  },
  'linky.prices[].tempo_red_hc': {
    title: 'Prix Tempo rouge heures creuses',
    description: 'Prix Tempo rouge heures creuses, en unités monétaires par kWh (TTC). 0 : non utilisé.',
  },
  'linky.prices[].tempo_red_hp': {
    title: 'Prix Tempo rouge heures pleines',
    description: 'Prix Tempo rouge heures pleines, en unités monétaires par kWh (TTC). 0 : non utilisé.',
  },
  'linky.prices[].subscription_per_month': {
    title: 'Abonnement',
    description: 'Part fixe par mois (répartie sur les jours).',
  },
  printers: {
    title: 'Imprimantes 3D',
    description: 'OctoPrint, Moonraker (Klipper) et exportateurs Prometheus d’OctoPrint, suivis en direct.',
  },
  'printers.list': {
    title: 'Imprimantes',
    description:
      'Une entrée par imprimante (une instance OctoPrint, un Moonraker ou un exportateur). Chacune devient un appareil Home Assistant.',
  },
  'printers.list[].name': {
    title: 'Nom',
    description:
      'Nom de l’appareil dans Home Assistant ; son slug est l’identifiant de l’appareil dans les sujets MQTT.',
  },
  'printers.list[].type': {
    title: 'Type',
    description:
      'octoprint (REST + websocket push), moonraker (REST + abonnement websocket) ou prometheus (page de métriques, lecture seule).',
  },
  'printers.list[].url': {
    title: 'URL',
    description:
      'URL de base, par ex. http://octopi.local, http://klipper.local:7125 ; pour prometheus la page de métriques (http://pi:8000/metrics) ou l’URL d’OctoPrint (essaie /metrics puis /plugin/prometheus_exporter/metrics).',
  },
  'printers.list[].api_key': {
    title: 'Clé d’API',
    description:
      'Clé d’API d’application ou d’utilisateur OctoPrint, ou clé d’API Moonraker s’il en exige une (envoyée en X-Api-Key, jamais journalisée). Peut valoir « ${NOM_VARIABLE} ».',
  },
  'printers.list[].interval': {
    title: 'Intervalle d’interrogation',
    description:
      'Secondes entre deux interrogations REST sans canal push (toujours pour prometheus), et entre deux essais d’une imprimante hors ligne.',
  },
  'printers.list[].timeout': {
    title: 'Délai',
    description: 'Secondes d’attente d’une réponse avant de déclarer l’imprimante hors ligne.',
  },
  'printers.list[].push': {
    title: 'Mises à jour push',
    description:
      'Utiliser le websocket push (OctoPrint /sockjs/websocket, Moonraker /websocket) pour voir les changements en moins d’une seconde ; false : interrogation seule.',
  },
  'printers.list[].snapshot_url': {
    title: 'URL d’instantané',
    description:
      'URL d’instantané caméra pour l’entité image ; vide : la webcam que déclare l’imprimante, sinon la vignette du G-code.',
  },
  alarm: {
    title: 'Alarme',
    description: 'Réservé au module d’alarme (pas encore disponible dans cette version).',
  },
  'discovery.birth_min_interval_seconds': {
    title: 'Intervalle minimal entre deux republications',
    description:
      'Le message de naissance de Home Assistant (homeassistant/status online) fait republier toutes les configurations et tous les états ; tout client du broker peut l’envoyer, on n’y répond donc qu’une fois par intervalle (une naissance dans l’intervalle reçoit sa réponse à la fin).',
  },
  rpc: {
    title: 'RPC de l’intégration monitor_bridge',
    description:
      'Les requêtes de Home Assistant (send_sms, utilisateurs, alarme) sont signées avec un secret propre à l’installation (docs/rpc.md, docs/security.md).',
  },
  'rpc.secret': {
    title: 'Secret',
    description:
      'La clé avec laquelle monitor_bridge signe ses requêtes (jamais journalisée). Vide : une clé aléatoire créée au premier démarrage et gardée dans <data_dir>/rpc.secret (mode 0600) ; « monitor rpc secret » l’affiche. Peut valoir « ${NOM_ENV} ». 16 caractères au moins.',
  },
  'rpc.require_signature': {
    title: 'Exiger les signatures',
    description:
      'Refuser les requêtes non signées (erreur 5). À désactiver seulement sur un broker dont tous les clients sont de confiance.',
  },
  'sms.allowed_recipients': {
    title: 'Destinataires autorisés',
    description:
      'Numéros ou motifs vers lesquels un SMS peut partir, en plus de default_recipients et des téléphones des utilisateurs, par ex. « +336* » (* = des chiffres). Tout autre est refusé.',
  },
  'sms.allow_any_recipient': {
    title: 'Tout destinataire',
    description:
      'Envoyer vers n’importe quel numéro demandé par n’importe quel client du broker (numéros surtaxés compris). Désactivé : seulement les destinataires listés.',
  },
  'sms.max_recipients': {
    title: 'Destinataires par demande',
    description: 'Nombre maximal de destinataires d’une demande (RPC, notify, autre module).',
  },
  'sms.max_text_length': {
    title: 'Longueur du texte',
    description: 'Texte le plus long accepté, en caractères (480 ≈ 3 parties GSM ou 8 parties UCS2).',
  },
  'sms.daily_quota': {
    title: 'Quota quotidien par origine',
    description:
      'Messages (un par destinataire) que chaque origine (rpc, mqtt, un module) peut mettre en file en 24 heures ; les réponses aux commandes ne comptent pas.',
  },
  'sms.commands.action_timeout_seconds': {
    title: 'Délai de l’action',
    description:
      'Secondes laissées à l’action ou au service d’une commande avant de répondre « délai dépassé ».',
  },
  users: {
    title: 'Utilisateurs',
    description:
      'Le registre unique des personnes, utilisé par l’alarme et les commandes SMS : codes (stockés hachés), téléphones, badges RFID/NFC, droits. Géré par RPC (services monitor_bridge) ou avec « monitor users ».',
  },
  'users.min_pin_length': {
    title: 'Longueur minimale du code',
    description: 'Nombre minimal de chiffres d’un code.',
  },
  'users.default_country': {
    title: 'Pays par défaut',
    description: 'Pays des numéros nationaux (0612…), pour la forme E.164.',
  },
  'alarm.engine': {
    title: 'Moteur',
    description:
      '« internal » : le moteur de Monitor ; « external » : piloter external_entity via Home Assistant.',
  },
  'alarm.external_entity': {
    title: 'Alarme externe',
    description: 'Entité alarm_control_panel pilotée en mode externe (alarmo.arm/disarm pour Alarmo).',
  },
  'alarm.external_code': {
    title: 'Code de l’alarme externe',
    description:
      'Code que Monitor donne à l’alarme externe après avoir vérifié son propre utilisateur (jamais journalisé). Peut valoir « ${NOM_ENV} ».',
  },
  'alarm.require_code_to_arm': {
    title: 'Code pour armer',
    description:
      'Armer depuis le clavier ou par RPC demande un code utilisateur (désarmer en demande toujours un).',
  },
  'alarm.modes': { title: 'Modes', description: 'Délais et capteurs de chaque mode.' },
  ...alarmModeTexts('away', 'Absence'),
  ...alarmModeTexts('home', 'Présence'),
  ...alarmModeTexts('night', 'Nuit'),
  ...alarmModeTexts('vacation', 'Vacances'),
  'alarm.sensors': { title: 'Capteurs', description: 'Les capteurs de la zone.' },
  'alarm.sensors[].entity_id': {
    title: 'Entité',
    description: 'Une entité Home Assistant dont l’état « on »/« open » signifie ouvert ou détecté.',
  },
  'alarm.sensors[].name': {
    title: 'Nom',
    description: 'Affiché dans les réponses ; vide : l’identifiant de l’entité.',
  },
  'alarm.sensors[].delayed': {
    title: 'Temporisé',
    description: 'Ouvre le délai d’entrée (une porte) au lieu de déclencher aussitôt.',
  },
  'alarm.sensors[].always_on': {
    title: 'Toujours actif',
    description: 'Déclenche dans tous les états, désarmé compris (autoprotection, fumée).',
  },
  'alarm.sensors[].allow_open': { title: 'Ouvert autorisé', description: 'Peut être ouvert à l’armement.' },
  'alarm.sensors[].when_open': {
    title: 'Ouvert à l’armement',
    description:
      '« refuse » : l’armement est refusé et le capteur nommé ; « bypass » : il est ignoré jusqu’au désarmement.',
  },
  'alarm.disarm_after_trigger': {
    title: 'Désarmer après déclenchement',
    description: 'Après la durée de déclenchement : désarmé au lieu de revenir au mode armé.',
  },
  'alarm.sirens': {
    title: 'Sirènes',
    description: 'Entités allumées au déclenchement et éteintes au désarmement (siren., switch., light.…).',
  },
  'alarm.lights': { title: 'Lumières', description: 'Entités allumées au déclenchement.' },
  'alarm.notify_users': {
    title: 'Utilisateurs prévenus',
    description:
      'Noms des utilisateurs qui reçoivent les SMS de l’alarme ; vide : tout utilisateur actif qui a un téléphone.',
  },
  'alarm.notify_on': {
    title: 'SMS pour',
    description: 'Événements envoyés par SMS aux utilisateurs prévenus.',
  },
  'alarm.duress_recipients': {
    title: 'Destinataires sous contrainte',
    description:
      'Numéros qui reçoivent l’alerte silencieuse de contrainte, en plus des utilisateurs prévenus.',
  },
  'alarm.badge_action': {
    title: 'Action du badge',
    description:
      '« toggle » : un badge connu désarme si armé et arme en absence si désarmé ; « disarm » : désarme seulement.',
  },
  'alarm.badge_readers': {
    title: 'Lecteurs de badges',
    description:
      'Identifiants d’appareils Home Assistant dont les événements tag_scanned comptent ; vide : tout lecteur.',
  },
  'alarm.max_failures': {
    title: 'Échecs avant blocage',
    description: 'Codes faux ou badges inconnus à la suite qui bloquent un canal (clavier, lecteur, RPC).',
  },
  'alarm.lockout_minutes': {
    title: 'Blocage',
    description: 'Minutes pendant lesquelles un canal bloqué refuse tout.',
  },
  bridge: {
    title: 'Intégration monitor_bridge',
    description:
      'Actions Home Assistant (send_sms, utilisateurs) et événements (SMS reçus, badges) de Monitor, par l’intégration personnalisée monitor_bridge.',
  },
  'bridge.install': {
    title: 'Installer l’intégration',
    description:
      'Copier monitor_bridge dans les custom_components de Home Assistant quand la copie installée manque ou est plus ancienne que cette version, puis demander un redémarrage.',
  },
  'bridge.config_dir': {
    title: 'Dossier de configuration de Home Assistant',
    description: 'Où se trouve la configuration de Home Assistant (l’app la monte sur /homeassistant).',
  },
};
