/**
 * Tempo prices (€/kWh) of the form of the French regulated tariff, each colour and period its
 * own figure: the costs tests compute their expected values from these, so they are shared.
 */
export const TEMPO_PRICES = {
  tempo_blue_hc: 0.13,
  tempo_blue_hp: 0.16,
  tempo_white_hc: 0.14,
  tempo_white_hp: 0.18,
  tempo_red_hc: 0.15,
  tempo_red_hp: 0.66,
};
