/** Screens say when credits changed, so the navigation badge and lists refresh at once. */
type Listener = () => void;
const listeners = new Set<Listener>();

export function onCreditsChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function creditsChanged(): void {
  listeners.forEach((listener) => listener());
}
