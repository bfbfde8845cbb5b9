/** Every user-facing string of the users module (RPC errors, CLI, entities), in English and French. */
import type { Dictionaries } from '../../core/i18n.js';

export const dict: Dictionaries = {
  en: {
    device: 'Alarm users',
    count: 'Users',
    duplicate: 'A user named "{username}" already exists.',
    unknown_user: 'No user named "{username}".',
    badge_owned: 'This badge already belongs to another user.',
    phone_owned: 'The number {phone} already belongs to another user.',
    pin_too_short: 'The PIN must have at least {min} digits.',
    pin_too_long: 'The PIN must have at most 12 digits.',
    pin_not_digits: 'The PIN must contain digits only.',
    duress_same: 'The duress PIN must differ from the PIN.',
    invalid_username: 'A user name is 1 to 64 printable characters.',
    invalid_phone: '"{phone}" is not a phone number.',
    invalid_badge: 'Invalid badge uid: {error}.',
    invalid_right: 'Unknown right "{right}" (arm, disarm, admin).',
    invalid_date: '"{value}" is not an ISO date.',
    badge_not_owned: 'This user has no such badge.',
    registry_corrupt:
      'The user registry {path} cannot be read ({error}); it was kept aside as {aside}. Restore it, or delete the copy to start with no user.',
  },
  fr: {
    device: "Utilisateurs de l'alarme",
    count: 'Utilisateurs',
    duplicate: 'Un utilisateur nommé « {username} » existe déjà.',
    unknown_user: 'Aucun utilisateur nommé « {username} ».',
    badge_owned: 'Ce badge appartient déjà à un autre utilisateur.',
    phone_owned: 'Le numéro {phone} appartient déjà à un autre utilisateur.',
    pin_too_short: 'Le code doit avoir au moins {min} chiffres.',
    pin_too_long: 'Le code doit avoir au plus 12 chiffres.',
    pin_not_digits: 'Le code ne doit contenir que des chiffres.',
    duress_same: 'Le code sous contrainte doit différer du code.',
    invalid_username: "Un nom d'utilisateur fait de 1 à 64 caractères imprimables.",
    invalid_phone: "« {phone} » n'est pas un numéro de téléphone.",
    invalid_badge: 'Identifiant de badge invalide : {error}.',
    invalid_right: 'Droit inconnu « {right} » (arm, disarm, admin).',
    invalid_date: "« {value} » n'est pas une date ISO.",
    badge_not_owned: "Cet utilisateur n'a pas ce badge.",
    registry_corrupt:
      'Le registre des utilisateurs {path} est illisible ({error}) ; il a été mis de côté sous {aside}. Restaurez-le, ou supprimez la copie pour repartir sans utilisateur.',
  },
};
