/**
 * How often supervisors unlocked recovery on a card, in words. Shown on the card so
 * that a card unlocked again and again (someone guessing) stands out.
 */
export function unlockCountText(count: number): string {
  if (count === 0) return 'Never unlocked';
  return count === 1 ? 'Unlocked once' : `Unlocked ${count} times`;
}
