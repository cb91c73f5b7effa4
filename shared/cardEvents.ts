/**
 * What can happen on a card's timeline (`card_events.type`). Writers accept only
 * these, and the lookup screen's summaries are keyed by them, so a new event type
 * cannot reach the timeline without a sentence that describes it.
 */
export const cardEventTypes = [
  'issued',
  'delivered',
  'redeemed',
  'recovery_check',
  'recovery_locked',
  'recovery_unlocked',
  'voided',
  'replaced',
  'replacement',
  'delivery_queued',
] as const;

export type CardEventType = (typeof cardEventTypes)[number];

export function isCardEventType(value: string): value is CardEventType {
  return (cardEventTypes as readonly string[]).includes(value);
}
