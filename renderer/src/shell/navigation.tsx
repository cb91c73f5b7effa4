/**
 * Moving between screens, with parameters ("open Balance for this serial"). A
 * navigation remounts the target screen, which reads its parameters once.
 */
import { createContext, useContext } from 'react';

export type ScreenParams = Record<string, string>;

export interface Navigation {
  navigate(screen: string, params?: ScreenParams): void;
  params: ScreenParams;
  /** Whether the signed-in role may open a screen. */
  canOpen(screen: string): boolean;
}

export const NavigationContext = createContext<Navigation>({
  navigate: () => undefined,
  params: {},
  canOpen: () => false,
});

export function useNavigation(): Navigation {
  return useContext(NavigationContext);
}
