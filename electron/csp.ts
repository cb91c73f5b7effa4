/**
 * The renderer's Content Security Policy: scripts only from the app's own origin, no
 * eval, no inline script, no remote anything. Mantine writes its CSS variables into a
 * <style> element and positions popovers with style attributes, hence
 * 'unsafe-inline' for styles (never for scripts). Used in index.html's meta tag (the
 * build injects it) and as a response header of the app:// protocol.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** `electron-vite dev` only: the dev server's HMR client needs inline script and a websocket. */
export const DEV_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "script-src 'self'",
  "script-src 'self' 'unsafe-inline'",
).replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:*");
